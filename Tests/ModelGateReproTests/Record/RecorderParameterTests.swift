import Testing

@testable import ModelGateRepro

/// How `record --param` reaches the training: a placeholder, a flag's value, or a refusal.
@Suite("record's parameters")
struct RecorderParameterTests {
    @Test func aParameterFillsItsPlaceholderOrTheValueAfterItsFlag() {
        #expect(
            Recorder.substitute("C", "0.5", in: ["python3", "train.py", "--C", "{C}"]) == [
                "python3", "train.py", "--C", "0.5",
            ])
        #expect(Recorder.substitute("C", "0.5", in: ["train", "--C", "1.0"]) == ["train", "--C", "0.5"])
        #expect(Recorder.substitute("C", "0.5", in: ["train", "--C=1.0"]) == ["train", "--C=0.5"])
        #expect(Recorder.substitute("C", "0.5", in: ["train", "--lr={C}x"]) == ["train", "--lr=0.5x"])
        #expect(Recorder.substitute("C", "0.5", in: ["train", "--Cx", "1"]) == nil, "a flag is matched whole")
        #expect(Recorder.substitute("C", "0.5", in: ["train", "--C"]) == nil, "a last flag has no value to replace")
    }

    @Test func theCommandNamesWhatItTakes() {
        #expect(Recorder.placeholders(in: "{a}-{b_c}{}{ d}") == ["a", "b_c"])
        #expect(
            Recorder.parameterNames(in: ["python3", "train.py", "--model", "{model}", "--C=1", "--C", "2"])
                == ["--model", "{model}", "--C"])
    }
}
