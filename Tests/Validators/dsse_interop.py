"""DSSE interoperability with an implementation that is not modelgate's: securesystemslib.

  dsse_interop.py verify ENVELOPE PUBLIC_PEM   exit 0 when securesystemslib accepts the envelope's signature
                                               by the key, known by the library's default key id (the
                                               envelope's keyid must be that one), printing the payload
                                               type; exit 1 otherwise
  dsse_interop.py sign PAYLOAD_FILE OUT_ENVELOPE OUT_PUBLIC_PEM
                                               a new P-256 key, with the library's default key id, signs
                                               PAYLOAD_FILE as an in-toto payload
"""
import json
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from securesystemslib.dsse import Envelope
from securesystemslib.exceptions import VerificationError
from securesystemslib.signer import CryptoSigner, SSlibKey

SCHEME = "ecdsa-sha2-nistp256"


def verify(envelope_path: str, pem_path: str) -> int:
    with open(pem_path, "rb") as handle:
        public = serialization.load_pem_public_key(handle.read())
    key = SSlibKey.from_crypto(public, scheme=SCHEME)
    with open(envelope_path, encoding="utf-8") as handle:
        envelope = Envelope.from_dict(json.load(handle))
    try:
        envelope.verify([key], 1)
    except VerificationError as error:
        print(f"rejected: {error}")
        return 1
    print(envelope.payload_type)
    return 0


def sign(payload_path: str, envelope_path: str, pem_path: str) -> int:
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key()
    signer = CryptoSigner(private, SSlibKey.from_crypto(public, scheme=SCHEME))
    with open(payload_path, "rb") as handle:
        envelope = Envelope(handle.read(), "application/vnd.in-toto+json", {})
    envelope.sign(signer)
    with open(envelope_path, "w", encoding="utf-8") as handle:
        json.dump(envelope.to_dict(), handle)
    with open(pem_path, "wb") as handle:
        handle.write(public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return 0


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    sys.exit(verify(*arguments) if command == "verify" else sign(*arguments))
