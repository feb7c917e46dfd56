import Foundation
import ModelGateSupport
import Testing

@testable import ModelGateBundle

/// Partials nest at most 16 deep and a rendered file is at most 16 MiB, known before anything renders.
@Suite("template bounds")
struct TemplateBoundsTests {
    func refusal(_ overrides: [String: String]) -> String? {
        do {
            let set = try TemplateSet(overrides: overrides.mapValues { Data($0.utf8) })
            _ = try set.render("Dockerfile.mustache", context: ["model": "churn"])
            return nil
        } catch {
            return (error as? ModelGateError)?.message ?? "\(error)"
        }
    }

    @Test(arguments: [
        ["_loop.mustache": "{{> loop}}", "Dockerfile.mustache": "{{> loop}}"],
        ["_a.mustache": "a{{#model}}{{> b}}{{/model}}", "_b.mustache": "{{^x}}{{> a}}{{/x}}"],
        // A changed delimiter does not hide the partial: the parsed tokens are read.
        ["_loop.mustache": "{{=<% %>=}}<%! {{> nothing}} %><%> loop%>", "Dockerfile.mustache": "{{> loop}}"],
        // A parent's override includes it.
        ["_loop.mustache": "{{<parent}}{{$block}}{{> loop}}{{/block}}{{/parent}}"],
    ])
    func aPartialThatIncludesItselfIsRefused(_ overrides: [String: String]) {
        let message = refusal(overrides)
        #expect(message?.contains("a partial includes itself") == true, "\(message ?? "rendered")")
    }

    func chain(_ depth: Int, leaf: String = "leaf", fanOut: Int = 1) -> [String: String] {
        var files = ["Dockerfile.mustache": "{{> p1}}"]
        for level in 1...depth {
            files["_p\(level).mustache"] =
                level == depth ? leaf : String(repeating: "{{> p\(level + 1)}}", count: fanOut)
        }
        return files
    }

    @Test func sixteenLevelsRenderAndSeventeenAreRefused() {
        #expect(refusal(chain(16)) == nil)
        let message = refusal(chain(17))
        #expect(message?.contains("16 deep") == true, "\(message ?? "rendered")")
    }

    @Test func doublingPartialsAreRefusedBeforeTheyRender() {
        // 2^15 copies of 1 KiB: 32 MiB, refused without rendering; half as many levels fit.
        let leaf = String(repeating: "x", count: 1024)
        let message = refusal(chain(16, leaf: leaf, fanOut: 2))
        #expect(message?.contains("a rendered file is at most 16 MiB") == true, "\(message ?? "rendered")")
        #expect(refusal(chain(8, leaf: leaf, fanOut: 2)) == nil)
    }

    @Test func aDynamicPartialIsRefused() {
        let message = refusal(["Dockerfile.mustache": "{{>*model}}"])
        #expect(message?.contains("dynamic partial") == true, "\(message ?? "rendered")")
    }
}
