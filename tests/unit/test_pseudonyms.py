"""Pseudonymous ids: a keyed SipHash-2-4 of the normalised value, checked against an independent
pure-Python SipHash written from the paper."""

import base64

import polars as pl

from helpers.clean.pii import ID_LENGTH, hash_key, pseudonymise


def test__pseudonymise__a_long_distinct_column_gets_distinct_ids_in_its_order():
    s = pl.Series([f"response:{i}" for i in range(60_000)], dtype=pl.String)
    got = pseudonymise(s, "salt", normalised=True)
    assert got.null_count() == 0 and got.n_unique() == s.len()
    assert got.reverse().to_list() == pseudonymise(s.reverse(), "salt", normalised=True).to_list()


def _siphash24(key: bytes, msg: bytes) -> int:
    """SipHash-2-4 written out from the paper (Aumasson & Bernstein 2012), independent of pandas."""
    mask = (1 << 64) - 1

    def rotl(x, b):
        return ((x << b) | (x >> (64 - b))) & mask

    k0, k1 = int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little")
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D, k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]

    def rounds(n):
        for _ in range(n):
            v[0] = (v[0] + v[1]) & mask; v[1] = rotl(v[1], 13) ^ v[0]; v[0] = rotl(v[0], 32)  # noqa: E702
            v[2] = (v[2] + v[3]) & mask; v[3] = rotl(v[3], 16) ^ v[2]  # noqa: E702
            v[0] = (v[0] + v[3]) & mask; v[3] = rotl(v[3], 21) ^ v[0]  # noqa: E702
            v[2] = (v[2] + v[1]) & mask; v[1] = rotl(v[1], 17) ^ v[2]; v[2] = rotl(v[2], 32)  # noqa: E702

    tail = len(msg) % 8
    for i in range(0, len(msg) - tail, 8):
        m = int.from_bytes(msg[i:i + 8], "little")
        v[3] ^= m
        rounds(2)
        v[0] ^= m
    b = ((len(msg) & 0xFF) << 56) | int.from_bytes(msg[len(msg) - tail:], "little")
    v[3] ^= b
    rounds(2)
    v[0] ^= b
    v[2] ^= 0xFF
    rounds(4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def _mix(x: int) -> int:  # pandas.util.hash_array's documented-in-code final mixing (splitmix64 finaliser)
    mask = (1 << 64) - 1
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & mask
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & mask
    return x ^ (x >> 31)


def test__siphash24__reference_vector():
    # the paper's test vector: key 00..0f, message 00..0e → a129ca6149be45e5
    assert _siphash24(bytes(range(16)), bytes(range(15))) == 0xA129CA6149BE45E5


def test__pseudonymise__ids_are_keyed_siphash_base32():
    values = pl.Series(["A@x.kz", " a@x.kz", None, "Иванова Мария", "response:population-kk-2", "ab"], dtype=pl.String)
    got = pseudonymise(values, "salt")
    key = hash_key("salt").encode("ascii")
    assert len(key) == 16 and hash_key("salt") != hash_key("salt2")
    want = []
    for k in ["a@x.kz", "a@x.kz", "иванова мария", "response:population-kk-2", "ab"]:
        h = _mix(_siphash24(key, k.encode("utf-8"))).to_bytes(8, "big")
        want.append("p" + base64.b32encode(h).decode().lower()[:ID_LENGTH])
    assert got.drop_nulls().to_list() == want and got.is_null().to_list() == [False, False, True, False, False, False]
