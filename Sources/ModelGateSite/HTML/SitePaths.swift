/// Where each page of the site is, and the links between them: a model's page, a version's, a policy's,
/// as paths from the site's root, each name made one safe path segment.
enum SitePaths {
    static func modelPath(_ model: String) -> String { "models/\(segment(model))/index.html" }
    static func versionPath(_ model: String, _ version: String) -> String {
        "models/\(segment(model))/\(segment(version)).html"
    }
    static func policyPath(_ policy: String) -> String { "policies/\(segment(policy)).html" }

    /// The relative link from the page at site path `page` to the site path `target`.
    static func link(_ target: String, from page: String) -> String {
        // Slashes counted as bytes: counting them as characters cost more than writing the link.
        String(repeating: "../", count: page.utf8.count { $0 == UInt8(ascii: "/") }) + target
    }

    /// A name as one path segment of a link and a file name: the registry's names are DNS labels and SemVer
    /// versions already; anything else is percent-encoded, so it can neither leave its folder nor end the link.
    static func segment(_ name: String) -> String {
        func plain(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "+"):
                true
            default: false
            }
        }
        // The common case, a name that needs nothing, is returned as it is.
        if !name.isEmpty, name.utf8.allSatisfy(plain), name.utf8.contains(where: { $0 != UInt8(ascii: ".") }) {
            return name
        }
        var encoded = ""
        for byte in name.utf8 {
            if plain(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return encoded.isEmpty || encoded.allSatisfy({ $0 == "." }) ? "_" + encoded : encoded
    }
}
