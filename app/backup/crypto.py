"""Encrypted backups: the archive streamed through AES-256-GCM in 64 KiB chunks (``cryptography``).

File layout: a header (magic, scrypt cost, salt, key check, nonce prefix), then chunks of ciphertext and
tag. The key comes from ``BACKUP_KEY`` through scrypt with a fresh salt per file, so no two files share a
key. Each chunk's nonce is the prefix, the chunk's number and a last-chunk flag, and the header is the
associated data of every chunk (the STREAM construction): a changed, reordered, dropped or cut-off
chunk fails authentication, and a cut at a chunk boundary fails because the last chunk was not
flagged as last. Memory stays at a few chunks whatever the size of the archive.
"""

import hmac
import io
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"BPPBKAE1"
CHUNK = 64 * 1024
TAG = 16
SALT = 16
CHECK = 32
PREFIX = 7
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 15, 8, 1  # 32 MiB and about 0.1 s per file
HEADER = struct.Struct(f"!{len(MAGIC)}sBBB{SALT}s{CHECK}s{PREFIX}s")
MIN_KEY_LENGTH = 16


class CryptoError(ValueError):
    """The key is missing, too short or wrong, or the encrypted file is damaged."""


def is_encrypted(head):
    """Whether a file's first bytes are those of an encrypted backup."""
    return head.startswith(MAGIC)


def _check_key(key):
    if not key:
        raise CryptoError("this backup is encrypted: set BACKUP_KEY to the key it was made with")
    if len(key) < MIN_KEY_LENGTH:
        raise CryptoError(f"BACKUP_KEY is too short: use at least {MIN_KEY_LENGTH} random characters")
    return key.encode("utf-8")


def _derive(key, salt, log_n, r, p):
    """Return ``(aes_key, key_check)``: two independent halves of one scrypt output."""
    if not (10 <= log_n <= 20 and 1 <= r <= 32 and 1 <= p <= 16):
        raise CryptoError("the encrypted backup's header is damaged (unknown key derivation cost)")
    out = Scrypt(salt=salt, length=32 + CHECK, n=2**log_n, r=r, p=p).derive(_check_key(key))
    return out[:32], out[32:]


def _nonce(prefix, counter, last):
    if counter >= 2**32:
        raise CryptoError("backup too large to encrypt")
    return prefix + struct.pack("!IB", counter, 1 if last else 0)


class EncryptingWriter(io.RawIOBase):
    """A write-only file object: what is written to it goes encrypted into ``raw``; ``close()`` ends it."""

    def __init__(self, raw, key):
        super().__init__()
        self._raw = raw
        salt, prefix = os.urandom(SALT), os.urandom(PREFIX)
        aes_key, check = _derive(key, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)
        self._header = HEADER.pack(MAGIC, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, salt, check, prefix)
        self._aead, self._prefix = AESGCM(aes_key), prefix
        self._counter = 0
        self._buffer = bytearray()
        raw.write(self._header)

    def writable(self):
        return True

    def write(self, data):
        self._buffer += data
        # Keep up to one chunk back: the last chunk is only known at close, and it must be flagged.
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, plain, last):
        nonce = _nonce(self._prefix, self._counter, last)
        self._raw.write(self._aead.encrypt(nonce, plain, self._header))
        self._counter += 1

    def close(self):
        """Write the last chunk; the archive is complete only after this."""
        if not self.closed and not self._raw.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    """A read-only file object giving the plain archive of the encrypted file ``raw``.

    :raise CryptoError: at open for a missing or wrong key; while reading for a damaged or cut-off file.
    """

    def __init__(self, raw, key):
        super().__init__()
        self._raw = raw
        header = raw.read(HEADER.size)
        if len(header) < HEADER.size or not is_encrypted(header):
            raise CryptoError("the encrypted backup's header is missing or damaged")
        _, log_n, r, p, salt, check, prefix = HEADER.unpack(header)
        aes_key, expected = _derive(key, salt, log_n, r, p)
        if not hmac.compare_digest(check, expected):
            raise CryptoError("BACKUP_KEY is not the key this backup was encrypted with")
        self._header, self._aead, self._prefix = header, AESGCM(aes_key), prefix
        self._counter = 0
        self._pending = raw.read(CHUNK + TAG)
        self._plain, self._offset = b"", 0
        self._done = False
        if not self._pending:
            raise CryptoError("the encrypted backup is cut off after its header")

    def readable(self):
        return True

    def _next_chunk(self):
        following = self._raw.read(CHUNK + TAG)
        last = not following
        nonce = _nonce(self._prefix, self._counter, last)
        try:
            plain = self._aead.decrypt(nonce, self._pending, self._header)
        except InvalidTag:
            offset = HEADER.size + self._counter * (CHUNK + TAG)
            raise CryptoError(f"the encrypted backup is damaged or cut off (at byte {offset})") from None
        self._counter += 1
        self._pending = following
        self._done = last
        return plain

    def readinto(self, buffer):
        while self._offset >= len(self._plain) and not self._done:
            self._plain, self._offset = self._next_chunk(), 0
        size = min(len(buffer), len(self._plain) - self._offset)
        buffer[:size] = self._plain[self._offset : self._offset + size]
        self._offset += size
        return size
