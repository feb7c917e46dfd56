"""tritonclient's own requests to a bundle's server, for serve_protocols.py.

  triton_infer.py HOST:PORT MODEL OUTPUT ROWS_JSON

Sends the rows as one FP64 tensor [rows, columns] three ways: tritonclient's defaults (binary tensor data
in, and binary output asked for by leaving the outputs out), JSON in with the output asked for as binary,
and binary in with the output asked for as JSON. Prints {"default", "json_in", "json_out": the outputs,
"extensions": the server's}; exits 1 with the client's error when one fails.
"""
import json
import sys

import numpy
import tritonclient.http as http


def main():
    url, model, output, rows = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    client = http.InferenceServerClient(url=url)
    matrix = numpy.asarray(rows, dtype=numpy.float64)

    def infer(binary_in, outputs):
        tensor = http.InferInput("input-0", list(matrix.shape), "FP64")
        tensor.set_data_from_numpy(matrix, binary_data=binary_in)
        result = client.infer(model, [tensor], outputs=outputs)
        return result.as_numpy(output).tolist()

    print(json.dumps({
        "default": infer(True, None),
        "json_in": infer(False, [http.InferRequestedOutput(output, binary_data=True)]),
        "json_out": infer(True, [http.InferRequestedOutput(output, binary_data=False)]),
        "extensions": client.get_server_metadata()["extensions"],
    }))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # the client's own message, for the test's report
        print(f"{type(error).__name__}: {error}")
        sys.exit(1)
