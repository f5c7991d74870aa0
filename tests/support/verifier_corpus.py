"""Labelled sentences about a real project (itsdangerous 2.2.0), to measure the verifier.

Each sentence is what a model might write about the project, labelled by a
person who read the code: ``TRUE``; ``INVENTED`` (names something the code
does not have); ``WRONG_LINE`` (cites a line that does not hold what it
names); ``WRONG_RELATION`` (a call, import, base class or return type the code
does not have).  A few true sentences state a call the static graph cannot
show (a method called on the result of another call): dropping them costs
recall, never precision.

``score`` says how the verifier did: precision (of the sentences kept, how
many are true; the target is 100 %) and recall (of the true sentences, how many
were kept; the target is at least 90 %).  ``python -m bench.verifier`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docsgen.narrative.collect import gather, with_texts
from docsgen.narrative.facts import Facts
from docsgen.narrative.verifier import Verifier
from tests.support.generation import snapshot_of
from tests.support.pypi import sdist

PROJECT = (
    "itsdangerous",
    "2.2.0",
    "e0050c0b7da1eea53ffaf149c0cfbb5c6e2e2b69c4bef22c81fa6eb73e5f6173",
)
TRUE, INVENTED, WRONG_LINE, WRONG_RELATION = "true", "invented", "wrong line", "wrong relation"
S = "src/itsdangerous"

# fmt: off
CORPUS: tuple[tuple[str, str], ...] = (
    # --- true ------------------------------------------------------------------------
    (TRUE, f"`Signer.sign` (`{S}/signer.py:222`) signs the given string."),
    (TRUE, "`Signer.sign` calls `Signer.get_signature` and appends the signature to the value."),
    (TRUE, "`Signer.get_signature` calls `Signer.derive_key` to obtain the key."),
    (TRUE, "`Signer.get_signature` returns the signature encoded with `base64_encode`."),
    (TRUE, "`Signer.unsign` calls `Signer.verify_signature` and raises `BadSignature` when it "
           "fails."),
    (TRUE, "`Signer.validate` calls `Signer.unsign` and catches `BadSignature`."),
    (TRUE, "`TimestampSigner` subclasses `Signer` and adds a timestamp to each signature."),
    (TRUE, f"`TimestampSigner.sign` calls `TimestampSigner.get_timestamp` (`{S}/timed.py:48`)."),
    (TRUE, f"`TimestampSigner.get_timestamp` is declared at `{S}/timed.py:29`."),
    (TRUE, "`TimestampSigner.unsign` calls `Signer.unsign` before it checks the timestamp."),
    (TRUE, "`TimestampSigner.unsign` raises `SignatureExpired` when the signature is older than "
           "the maximum age."),
    (TRUE, "`TimestampSigner.validate` calls `TimestampSigner.unsign`."),
    (TRUE, "`Serializer.dumps` calls `Serializer.dump_payload` and `Serializer.make_signer`."),
    (TRUE, "`Serializer.make_signer` returns a `Signer`."),
    (TRUE, "`Serializer.iter_unsigners` calls `Serializer.make_signer` for the configured signer."),
    (TRUE, "`Serializer.loads` calls `Serializer.iter_unsigners` and `Serializer.load_payload`."),
    (TRUE, "`Serializer.load` calls `Serializer.loads` with the file's content."),
    (TRUE, "`Serializer.dump` calls `Serializer.dumps` and writes the result to a file."),
    (TRUE, f"`Serializer.loads_unsafe` (`{S}/serializer.py:351`) does not verify the signature."),
    (TRUE, "`Serializer.load_payload` raises `BadPayload` if the payload cannot be loaded."),
    (TRUE, "`Serializer.dump_payload` calls `want_bytes` on the serializer's output."),
    (TRUE, "`TimedSerializer` subclasses `Serializer` and uses `TimestampSigner` by default."),
    (TRUE, "`TimedSerializer.loads` calls `TimedSerializer.iter_unsigners` and "
           "`Serializer.load_payload`."),
    (TRUE, "`TimedSerializer.loads_unsafe` calls `Serializer._loads_unsafe_impl`."),
    (TRUE, "`URLSafeSerializerMixin` derives from `Serializer`."),
    (TRUE, "`URLSafeSerializer` inherits from `URLSafeSerializerMixin` and `Serializer`."),
    (TRUE, "`URLSafeTimedSerializer` is a subclass of `TimedSerializer`."),
    (TRUE, "`URLSafeTimedSerializer` is a subclass of `Serializer` through `TimedSerializer`."),
    (TRUE, "`URLSafeSerializerMixin.dump_payload` calls `base64_encode` after compressing the "
           "payload with zlib."),
    (TRUE, f"`URLSafeSerializerMixin.load_payload` calls `base64_decode` (`{S}/url_safe.py:37`)."),
    (TRUE, "`base64_encode` calls `want_bytes` before encoding."),
    (TRUE, "`base64_decode` raises `BadData` for invalid input."),
    (TRUE, f"`want_bytes` is defined in `{S}/encoding.py`."),
    (TRUE, "`int_to_bytes` and `bytes_to_int` convert between integers and bytes in "
           "`itsdangerous.encoding`."),
    (TRUE, "`itsdangerous.timed` imports `itsdangerous.signer`."),
    (TRUE, "`itsdangerous.url_safe` imports `itsdangerous.timed` and `itsdangerous.serializer`."),
    (TRUE, "`itsdangerous.serializer` imports `itsdangerous.encoding`."),
    (TRUE, "`itsdangerous.encoding` imports `itsdangerous.exc`."),
    (TRUE, "`BadSignature` is a subclass of `BadData`."),
    (TRUE, "`SignatureExpired` derives from `BadTimeSignature`, which subclasses `BadSignature`."),
    (TRUE, f"`BadData` (`{S}/exc.py:7`) is the base of every exception the package defines."),
    (TRUE, "`HMACAlgorithm` subclasses `SigningAlgorithm` and computes signatures with HMAC."),
    (TRUE, "`NoneAlgorithm.get_signature` returns an empty signature."),
    (TRUE, "`SigningAlgorithm.verify_signature` calls `SigningAlgorithm.get_signature` "
           f"(`{S}/signer.py:28`)."),
    (TRUE, "The project's metadata lives in `pyproject.toml`."),
    (TRUE, f"`Signer.derive_key` is declared at `{S}/signer.py:182`, e.g. to derive a key with "
           "HMAC."),
    (TRUE, "`Serializer.dumps` signs the payload with the signer that `Serializer.make_signer` "
           "returns."),
    (TRUE, "`Signer.verify_signature` calls `base64_decode` and `Signer.derive_key`."),
    (TRUE, "`TimestampSigner.sign` calls `int_to_bytes` and `base64_encode` to encode the "
           "timestamp."),
    (TRUE, "`_CompactJSON` strips whitespace from JSON."),
    (TRUE, "`URLSafeSerializerMixin` uses `_CompactJSON` as its default serializer."),
    (TRUE, "The top-level package re-exports `itsdangerous.Signer` from `itsdangerous.signer`."),
    # True, but the call is made on the result of another call: the graph cannot show it.
    (TRUE, "`Serializer.dumps` calls `Signer.sign` on a new signer."),
    (TRUE, "`Serializer.loads` calls `Signer.unsign` for each signer it tries."),
    # --- invented names --------------------------------------------------------------
    (INVENTED, "`Signer.sign_bytes` signs raw bytes."),
    (INVENTED, "`TimestampSigner.get_expiry` returns when a signature expires."),
    (INVENTED, "`itsdangerous.jwt` implements JSON Web Tokens."),
    (INVENTED, "`Serializer.dumps` calls `Serializer.encrypt` before signing."),
    (INVENTED, "Keys are rotated by rotate_keys in `itsdangerous.signer`."),
    (INVENTED, "`URLSafeSerializer.compress` shrinks the payload with zlib."),
    (INVENTED, "`BadSignatureError` is raised when verification fails."),
    (INVENTED, f"The configuration is read from `{S}/config.py`."),
    (INVENTED, f"`JSONWebSignatureSerializer` (`{S}/serializer.py:42`) signs JSON."),
    (INVENTED, "`Signer.unsign` calls verify_signature_strict to check the signature."),
    (INVENTED, "`itsdangerous.signer.KeyRing` holds the secret keys."),
    (INVENTED, "`TimedSerializer.loads` calls `TimedSerializer.check_age`."),
    (INVENTED, f"`HMACAlgorithm.digest` (`{S}/signer.py:62`) computes the MAC."),
    (INVENTED, "`NoneAlgorithm` is used when signing_disabled is set."),
    # --- citations of the wrong line -------------------------------------------------
    (WRONG_LINE, f"`Signer.sign` is declared at `{S}/signer.py:215`."),
    (WRONG_LINE, f"`base64_encode` (`{S}/encoding.py:28`) encodes bytes."),
    (WRONG_LINE, f"`TimestampSigner` is defined at `{S}/timed.py:170`."),
    (WRONG_LINE, f"`want_bytes` is declared at `{S}/encoding.py:49`."),
    (WRONG_LINE, f"`Serializer.make_signer` (`{S}/serializer.py:289`) creates the signer."),
    (WRONG_LINE, f"`BadSignature` (`{S}/exc.py:36`) is raised on a mismatch."),
    (WRONG_LINE, f"`Signer.unsign` calls `Signer.verify_signature` at `{S}/signer.py:244`."),
    (WRONG_LINE, f"`URLSafeSerializer` is declared at `{S}/url_safe.py:79`."),
    (WRONG_LINE, f"`SignatureExpired` is defined in `{S}/exc.py:900`."),
    (WRONG_LINE, f"`Signer.derive_key` is declared at `{S}/timed.py:182`."),
    (WRONG_LINE, f"`TimestampSigner.get_timestamp` (`{S}/timed.py:35`) returns the current "
                 "time."),
    (WRONG_LINE, f"`_CompactJSON` is declared at `{S}/_json.py:11`."),
    (WRONG_LINE, f"`Serializer.loads` is declared at `{S}/serializer.py:311`."),
    (WRONG_LINE, f"`bytes_to_int` is in `{S}/signer.py:53`."),
    # --- relations the code does not have ---------------------------------------------
    (WRONG_RELATION, "`Signer.sign` calls `Signer.unsign`."),
    (WRONG_RELATION, "`TimestampSigner` subclasses `Serializer`."),
    (WRONG_RELATION, "`itsdangerous.encoding` imports `itsdangerous.signer`."),
    (WRONG_RELATION, "`Serializer.make_signer` returns a `TimestampSigner`."),
    (WRONG_RELATION, "`base64_encode` calls `base64_decode` to check its output."),
    (WRONG_RELATION, "`URLSafeSerializer` inherits from `TimedSerializer`."),
    (WRONG_RELATION, "`itsdangerous.exc` imports `itsdangerous.encoding`."),
    (WRONG_RELATION, "`Signer.get_signature` calls `Signer.sign`."),
    (WRONG_RELATION, "`BadPayload` is a subclass of `BadSignature`."),
    (WRONG_RELATION, "`Serializer.iter_unsigners` returns a `TimestampSigner`."),
    (WRONG_RELATION, "`TimestampSigner.validate` calls `Signer.validate`."),
    (WRONG_RELATION, "`want_bytes` calls `base64_encode`."),
    (WRONG_RELATION, "`HMACAlgorithm` derives from `NoneAlgorithm`."),
    (WRONG_RELATION, "`itsdangerous.signer` imports `itsdangerous.timed`."),
    (WRONG_RELATION, "`Signer.validate` is called by `Serializer.dumps`."),
)
# fmt: on


def project_facts() -> Facts:
    """The facts of the project's source distribution, as the generator gathers them."""
    name, version, sha256 = PROJECT
    root = sdist(name, version, sha256)
    snapshot = snapshot_of(root, name)
    return with_texts(gather(snapshot).facts, snapshot)


@dataclass
class Score:
    kept: dict[str, int] = field(default_factory=dict)  # label -> sentences kept
    total: dict[str, int] = field(default_factory=dict)  # label -> sentences
    misjudged: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        kept = sum(self.kept.values())
        return self.kept.get(TRUE, 0) / kept if kept else 1.0

    @property
    def recall(self) -> float:
        return self.kept.get(TRUE, 0) / self.total[TRUE]

    def report(self) -> str:
        lines = [
            f"{sum(self.total.values())} labelled sentences about {PROJECT[0]} {PROJECT[1]}",
            f"precision {self.precision:.1%} (kept sentences that are true)",
            f"recall {self.recall:.1%} (true sentences kept)",
        ]
        for label, total in self.total.items():
            lines.append(f"  {label}: {self.kept.get(label, 0)} of {total} kept")
        for label, sentence, problems in self.misjudged:
            lines.append(f"  misjudged ({label}): {sentence} {list(problems)}")
        return "\n".join(lines)


def score(verifier: Verifier) -> Score:
    result = Score()
    for label, sentence in CORPUS:
        verdict = verifier.sentence(sentence)
        result.total[label] = result.total.get(label, 0) + 1
        if verdict.kept:
            result.kept[label] = result.kept.get(label, 0) + 1
        if verdict.kept != (label == TRUE):
            result.misjudged.append((label, sentence, verdict.problems))
    return result
