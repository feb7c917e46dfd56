// Reads every record of a CSV file with one package and prints how many fields it saw:
// `csv-readers swiftcsv|csv.swift FILE`. Only the reading, none of a profile's statistics, so a package
// slower here than `modelgate profile` of the whole file is slower than the reader modelgate has.
import CSV
import Foundation
import SwiftCSV

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: csv-readers swiftcsv|csv.swift FILE\n".utf8))
    exit(2)
}
let path = arguments[2]
nonisolated(unsafe) var fields = 0
switch arguments[1] {
case "swiftcsv":
    // SwiftCSV parses a String: the file is loaded whole, then enumerated row by row.
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let csv = try SwiftCSV.CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false, rowLimit: 1)
    try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { row in fields += row.count }
case "csv.swift":
    // CSV.swift streams from an InputStream.
    guard let stream = InputStream(fileAtPath: path) else { exit(2) }
    let reader = try CSVReader(stream: stream, hasHeaderRow: true)
    while let row = reader.next() { fields += row.count }
default:
    exit(2)
}
print(fields)
