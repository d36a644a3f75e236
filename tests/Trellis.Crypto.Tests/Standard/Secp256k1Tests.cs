using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Trellis.Crypto.Standard;
using Trellis.Crypto.Standard.EllipticCurve;

namespace Trellis.Crypto.Tests.Standard;

public class Secp256k1Tests
{
    private static readonly BigInteger P = Hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
    private static readonly BigInteger N = Hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    private static readonly BigInteger Gx = Hex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    private static readonly BigInteger Gy = Hex("483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");

    // Published RFC 6979 (HMAC-SHA256) secp256k1 vectors with SHA-256 message digests, as circulated from
    // python-ecdsa / Trezor (bitcointalk topic 285142, bitcoin.stackexchange question 50980) and Haskoin:
    // private key, message, expected nonce k (empty when not published), expected low-s signature r || s.
    public static TheoryData<string, string, string, string> DeterministicVectors => new()
    {
        {
            "0000000000000000000000000000000000000000000000000000000000000001", "Satoshi Nakamoto",
            "8f8a276c19f4149656b280621e358cce24f5f52542772691ee69063b74f15d15",
            "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d82442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"
        },
        {
            "0000000000000000000000000000000000000000000000000000000000000001", "All those moments will be lost in time, like tears in rain. Time to die...",
            "38aa22d72376b4dbc472e06c3ba403ee0a394da63fc58d88686c611aba98d6b3",
            "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21"
        },
        {
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", "Satoshi Nakamoto",
            "33a19b60e25fb6f4435af53a3d42d493644827367e6453928554f43e49aa6f90",
            "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d06b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5"
        },
        {
            "f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181", "Alan Turing",
            "525a82b70e67874398067543fd84c83d30c175fdc45fdeee082fe13b1d7cfdf1",
            "7063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c58dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea"
        },
        {
            "0000000000000000000000000000000000000000000000000000000000000001", "Everything should be made as simple as possible, but not simpler.",
            "",
            "33a69cd2065432a30f3d1ce4eb0d59b8ab58c74f27c41a7fdb5696ad4e6108c96f807982866f785d3f6418d24163ddae117b7db4d5fdf0071de069fa54342262"
        },
    };

    // Published secp256k1 multiples k G (crypto.stackexchange "Are there any secp256k1 ECDSA test examples
    // available?" for k = 1..3; bitcointalk topic 5363860 for the random keys); (n - 1) G = -G = (Gx, p - Gy).
    public static TheoryData<string, string, string> KeyDerivationVectors => new()
    {
        { "0000000000000000000000000000000000000000000000000000000000000001", "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8" },
        { "0000000000000000000000000000000000000000000000000000000000000002", "c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5", "1ae168fea63dc339a3c58419466ceaeef7f632653266d0e1236431a950cfe52a" },
        { "0000000000000000000000000000000000000000000000000000000000000003", "f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9", "388f7b0f632de8140fe337e62a37f3566500a99934c2231b6cb9fd7584b8e672" },
        { "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "b7c52588d95c3b9aa25b0403f1eef75702e84bb7597aabe663b82f6f04ef2777" },
        { "88d3ad1293d7ce5ed68dafebc0d14da58bee5e5670a16df7b489211854deab49", "57c628c86c520d069b49efc06f91ccb303c89f73f4a5f914600ba81573f55af7", "1281a83ac4de684ad5e5ba22d965c9424baa32705631bdd9bc37dfbee77fc988" },
        { "06d0db075b51c8314dce54230139ea1333dd38709fc7098fd7b35a7f0c0ef48f", "78e2f762741b828fee2a63dbb62eabe80c141e84d7523137bc8de9c46b751779", "2fc85c1b089afde6653e70c60bf84b8222fb1cb66492520bea65b51b4261f4d7" },
        { "5836a959cd2863cb9a73cb956955f3968dda107d7b321856ddd08e85351034b4", "4fd730f63464a99b0e1cd8071c5df6e1bf27ce9a9829328db9f2f1c0eb8019e8", "55b3b061d8d68c41e05ab2f0a48849ceb8edbb8291418b5b5eef2db5034abf81" },
        { "b07122c634bd0799a28bc8f41e36d58609a7413190f5dbc6d37c983be50e3b6b", "c000a6555ceca19e2212e5792799d9fc3be8f6b434518927ec1f6fe11f995b9c", "7ec6c1bbaa3aa31e9aa913b5b519fb2fddaac8fb2bf9a690bc024dcd3f63be83" },
    };

    [Theory]
    [MemberData(nameof(DeterministicVectors))]
    public void Sign_MatchesPublishedDeterministicSignature(string privateKeyHex, string message, string expectedK, string expectedSignature)
    {
        _ = expectedK;
        var privateKey = Convert.FromHexString(privateKeyHex);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(message));

        var signature = Secp256k1.Sign(privateKey, digest);

        Assert.Equal(Secp256k1.SignatureLength, signature.Length);
        Assert.Equal(expectedSignature, Convert.ToHexStringLower(signature.AsSpan(0, 64)));
        Assert.True(Secp256k1.Verify(Secp256k1.DerivePublicKey(privateKey), digest, signature));
    }

    [Theory]
    [MemberData(nameof(DeterministicVectors))]
    public void Rfc6979Nonce_MatchesPublishedNonce(string privateKeyHex, string message, string expectedK, string expectedSignature)
    {
        _ = expectedSignature;
        if (expectedK.Length == 0)
        {
            return;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(message));
        using var nonce = new Rfc6979Nonce(Convert.FromHexString(privateKeyHex), digest);
        Span<byte> k = stackalloc byte[32];
        nonce.Next().Write(k);
        Assert.Equal(expectedK, Convert.ToHexStringLower(k));
    }

    [Theory]
    [MemberData(nameof(DeterministicVectors))]
    public void TryRecover_ReturnsSignerOfPublishedVector(string privateKeyHex, string message, string expectedK, string expectedSignature)
    {
        _ = expectedK;
        _ = expectedSignature;
        var privateKey = Convert.FromHexString(privateKeyHex);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(message));
        var signature = Secp256k1.Sign(privateKey, digest);

        var recovered = new byte[64];
        Assert.True(Secp256k1.TryRecover(digest, signature.AsSpan(0, 64), signature[64], recovered));
        Assert.Equal(Secp256k1.DerivePublicKey(privateKey), recovered);
    }

    [Theory]
    [MemberData(nameof(KeyDerivationVectors))]
    public void DerivePublicKey_MatchesPublishedMultiplesOfG(string privateKeyHex, string expectedX, string expectedY)
    {
        var publicKey = Secp256k1.DerivePublicKey(Convert.FromHexString(privateKeyHex));

        Assert.Equal(expectedX + expectedY, Convert.ToHexStringLower(publicKey));
        Assert.True(Secp256k1.IsValidPublicKey(publicKey));
    }

    [Fact]
    public void DerivePublicKey_AgreesWithBigIntegerReferenceOnRandomKeys()
    {
        var random = new Random(1);
        for (int i = 0; i < 20; i++)
        {
            var key = RandomPrivateKey(random);
            var (x, y) = ReferenceMultiply(FromBytes(key), (Gx, Gy))!.Value;
            Assert.Equal(ToHex32(x) + ToHex32(y), Convert.ToHexStringLower(Secp256k1.DerivePublicKey(key)));
        }
    }

    [Fact]
    public void DerivePublicKey_RejectsZeroOrderAndWrongLength()
    {
        var order = Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        Assert.Throws<ArgumentException>(() => Secp256k1.DerivePublicKey(new byte[32]));
        Assert.Throws<ArgumentException>(() => Secp256k1.DerivePublicKey(order));
        Assert.Throws<ArgumentException>(() => Secp256k1.DerivePublicKey(Enumerable.Repeat((byte)0xff, 32).ToArray()));
        Assert.Throws<ArgumentException>(() => Secp256k1.DerivePublicKey(new byte[31]));
        Assert.Throws<ArgumentException>(() => Secp256k1.DerivePublicKey(new byte[33]));
        Assert.Throws<ArgumentException>(() => Secp256k1.Sign(order, new byte[32]));
        Assert.Throws<ArgumentException>(() => Secp256k1.Sign(Secp256k1.GeneratePrivateKey(), new byte[31]));
    }

    [Fact]
    public void IsValidPrivateKey_AcceptsExactlyOneToOrderMinusOne()
    {
        Assert.False(Secp256k1.IsValidPrivateKey(new byte[32]));
        Assert.True(Secp256k1.IsValidPrivateKey(Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000001")));
        Assert.True(Secp256k1.IsValidPrivateKey(Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140")));
        Assert.False(Secp256k1.IsValidPrivateKey(Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")));
        Assert.False(Secp256k1.IsValidPrivateKey(new byte[31]));
        Assert.False(Secp256k1.IsValidPrivateKey([]));
        for (int i = 0; i < 10; i++)
        {
            var key = Secp256k1.GeneratePrivateKey();
            var value = FromBytes(key);
            Assert.True(value >= 1 && value < N);
        }
    }

    [Fact]
    public void TryRecover_ReturnsSignerForRecoveryIdsZeroAndOne()
    {
        var random = new Random(2);
        var seenIds = new HashSet<byte>();
        var recovered = new byte[64];
        for (int i = 0; i < 60; i++)
        {
            var key = RandomPrivateKey(random);
            var digest = RandomBytes(random, 32);
            var signature = Secp256k1.Sign(key, digest);
            seenIds.Add(signature[64]);

            Assert.True(Secp256k1.TryRecover(digest, signature.AsSpan(0, 64), signature[64], recovered));
            Assert.Equal(Secp256k1.DerivePublicKey(key), recovered);

            // The other parity gives R's negation and so a different key.
            Assert.True(Secp256k1.TryRecover(digest, signature.AsSpan(0, 64), signature[64] ^ 1, recovered));
            Assert.NotEqual(Secp256k1.DerivePublicKey(key), recovered);
        }

        Assert.Equal(new HashSet<byte> { 0, 1 }, seenIds);
    }

    [Fact]
    public void TryRecover_AgreesWithBigIntegerReference()
    {
        var random = new Random(3);
        var recovered = new byte[64];
        for (int i = 0; i < 10; i++)
        {
            var r = RandomBelow(random, N);
            var s = RandomBelow(random, N);
            var digest = RandomBytes(random, 32);
            int recoveryId = random.Next(2);
            var rs = Convert.FromHexString(ToHex32(r) + ToHex32(s));
            var expected = ReferenceRecover(FromBytes(digest), r, s, recoveryId);

            bool ok = Secp256k1.TryRecover(digest, rs, recoveryId, recovered);

            Assert.Equal(expected.HasValue, ok);
            if (expected is { } q)
            {
                Assert.Equal(ToHex32(q.X) + ToHex32(q.Y), Convert.ToHexStringLower(recovered));
                Assert.True(Secp256k1.Verify(recovered, digest, rs));
            }
        }
    }

    [Fact]
    public void TryRecover_HandlesRecoveryIdsWithXAboveOrder()
    {
        // Build R with x = r + n (x in [n, p)) and check recovery ids 2 and 3 and verification's r + n branch.
        var random = new Random(4);
        var recovered = new byte[64];
        int found = 0;
        for (BigInteger r = 1; found < 3; r++)
        {
            var x = r + N;
            if (ReferenceSqrt((BigInteger.ModPow(x, 3, P) + 7) % P) is null)
            {
                continue;
            }

            found++;
            var s = RandomBelow(random, N);
            var digest = RandomBytes(random, 32);
            var rs = Convert.FromHexString(ToHex32(r) + ToHex32(s));
            for (int recoveryId = 2; recoveryId < 4; recoveryId++)
            {
                var expected = ReferenceRecover(FromBytes(digest), r, s, recoveryId)!.Value;
                Assert.True(Secp256k1.TryRecover(digest, rs, recoveryId, recovered));
                Assert.Equal(ToHex32(expected.X) + ToHex32(expected.Y), Convert.ToHexStringLower(recovered));
                Assert.True(Secp256k1.Verify(recovered, digest, rs));
            }
        }
    }

    [Fact]
    public void TryRecover_RejectsInvalidScalarsRecoveryIdsAndPoints()
    {
        var key = Secp256k1.GeneratePrivateKey();
        var digest = SHA256.HashData("trellis"u8);
        var signature = Secp256k1.Sign(key, digest);
        var destination = new byte[64];
        var order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
        var max = new string('f', 64);
        var zero = new string('0', 64);
        var r = Convert.ToHexStringLower(signature.AsSpan(0, 32));
        var s = Convert.ToHexStringLower(signature.AsSpan(32, 32));

        foreach (var rs in new[] { zero + s, r + zero, order + s, r + order, max + s, r + max })
        {
            Assert.False(Secp256k1.TryRecover(digest, Convert.FromHexString(rs), 0, destination));
            Assert.False(Secp256k1.TryRecover(digest, Convert.FromHexString(rs), 1, destination));
            Assert.False(Secp256k1.Verify(Secp256k1.DerivePublicKey(key), digest, Convert.FromHexString(rs)));
        }

        foreach (int badId in new[] { 4, 5, -1, 27, int.MaxValue, int.MinValue })
        {
            Assert.False(Secp256k1.TryRecover(digest, signature.AsSpan(0, 64), badId, destination));
        }

        // An r whose x^3 + 7 is not a square mod p is not the x of any point.
        BigInteger offCurve = 1;
        while (ReferenceSqrt((BigInteger.ModPow(offCurve, 3, P) + 7) % P) is not null)
        {
            offCurve++;
        }

        var offCurveRs = Convert.FromHexString(ToHex32(offCurve) + s);
        Assert.False(Secp256k1.TryRecover(digest, offCurveRs, 0, destination));
        Assert.False(Secp256k1.TryRecover(digest, offCurveRs, 1, destination));

        // Ids 2 and 3 need r + n < p: a large r is rejected.
        Assert.False(Secp256k1.TryRecover(digest, signature.AsSpan(0, 64), 2, destination));
        Assert.False(Secp256k1.TryRecover(digest, signature.AsSpan(0, 64), 3, destination));

        Assert.False(Secp256k1.TryRecover(digest, signature.AsSpan(0, 63), 0, destination));
        Assert.False(Secp256k1.TryRecover(digest, signature, 0, destination));
        Assert.Throws<ArgumentException>(() => Secp256k1.TryRecover(digest.AsSpan(0, 31), signature.AsSpan(0, 64), 0, destination));
        Assert.Throws<ArgumentException>(() => Secp256k1.TryRecover(digest, signature.AsSpan(0, 64), 0, new byte[63]));
    }

    [Fact]
    public void TryRecover_ReturnsFalseWhenResultIsInfinity()
    {
        // Q = r^-1 (s R - e G) is infinity when s R = e G; with R = G (r = Gx mod n) that is e = s.
        var r = Gx % N;
        BigInteger s = 12345;
        var rs = Convert.FromHexString(ToHex32(r) + ToHex32(s));
        var digest = Convert.FromHexString(ToHex32(s));
        int recoveryId = Gy.IsEven ? 0 : 1;

        Assert.False(Secp256k1.TryRecover(digest, rs, recoveryId, new byte[64]));
        Assert.True(Secp256k1.TryRecover(digest, rs, recoveryId ^ 1, new byte[64]));
    }

    [Fact]
    public void Verify_RejectsTamperedDigestSignatureAndKey()
    {
        var random = new Random(5);
        for (int i = 0; i < 20; i++)
        {
            var key = RandomPrivateKey(random);
            var publicKey = Secp256k1.DerivePublicKey(key);
            var digest = RandomBytes(random, 32);
            var signature = Secp256k1.Sign(key, digest);
            Assert.True(Secp256k1.Verify(publicKey, digest, signature));
            Assert.True(Secp256k1.Verify(publicKey, digest, signature.AsSpan(0, 64)));

            var badDigest = (byte[])digest.Clone();
            badDigest[random.Next(32)] ^= (byte)(1 << random.Next(8));
            Assert.False(Secp256k1.Verify(publicKey, badDigest, signature));

            var badSignature = (byte[])signature.Clone();
            badSignature[random.Next(64)] ^= (byte)(1 << random.Next(8));
            Assert.False(Secp256k1.Verify(publicKey, digest, badSignature));

            var otherKey = Secp256k1.DerivePublicKey(RandomPrivateKey(random));
            Assert.False(Secp256k1.Verify(otherKey, digest, signature));

            // v is ignored by Verify.
            var otherV = (byte[])signature.Clone();
            otherV[64] ^= 1;
            Assert.True(Secp256k1.Verify(publicKey, digest, otherV));
        }
    }

    [Fact]
    public void Verify_ReturnsFalseForMalformedInputWithoutThrowing()
    {
        var key = Secp256k1.GeneratePrivateKey();
        var publicKey = Secp256k1.DerivePublicKey(key);
        var digest = SHA256.HashData("hostile"u8);
        var signature = Secp256k1.Sign(key, digest);

        Assert.False(Secp256k1.Verify(publicKey.AsSpan(0, 63), digest, signature));
        Assert.False(Secp256k1.Verify([], digest, signature));
        Assert.False(Secp256k1.Verify(publicKey, digest.AsSpan(0, 31), signature));
        Assert.False(Secp256k1.Verify(publicKey, digest, signature.AsSpan(0, 63)));
        Assert.False(Secp256k1.Verify(publicKey, digest, [.. signature, 0]));
        Assert.False(Secp256k1.Verify(publicKey, digest, []));
        Assert.False(Secp256k1.Verify(new byte[64], digest, signature));
        Assert.False(Secp256k1.Verify(Enumerable.Repeat((byte)0xff, 64).ToArray(), digest, signature));

        var offCurve = (byte[])publicKey.Clone();
        offCurve[63] ^= 1;
        Assert.False(Secp256k1.IsValidPublicKey(offCurve));
        Assert.False(Secp256k1.Verify(offCurve, digest, signature));

        // Coordinates >= p are rejected even if they are congruent to a valid point.
        var x = FromBytes(publicKey.AsSpan(0, 32).ToArray());
        if (x + P < BigInteger.One << 256)
        {
            var aliased = Convert.FromHexString(ToHex32(x + P) + Convert.ToHexStringLower(publicKey.AsSpan(32)));
            Assert.False(Secp256k1.IsValidPublicKey(aliased));
        }

        Assert.False(Secp256k1.IsValidPublicKey(Convert.FromHexString(ToHex32(Gx) + ToHex32(P))));
        Assert.False(Secp256k1.IsValidPublicKey(Convert.FromHexString(ToHex32(P) + ToHex32(Gy))));
    }

    [Fact]
    public void Sign_NormalisesHighSAndVerifyStillAcceptsHighS()
    {
        var random = new Random(6);
        var recovered = new byte[64];
        for (int i = 0; i < 30; i++)
        {
            var key = RandomPrivateKey(random);
            var publicKey = Secp256k1.DerivePublicKey(key);
            var digest = RandomBytes(random, 32);
            var signature = Secp256k1.Sign(key, digest);
            var s = FromBytes(signature.AsSpan(32, 32).ToArray());
            Assert.True(s <= N / 2);
            Assert.True(Secp256k1.IsLowS(signature.AsSpan(32, 32)));

            var highS = Convert.FromHexString(ToHex32(N - s));
            Assert.False(Secp256k1.IsLowS(highS));
            var flipped = signature.AsSpan(0, 32).ToArray().Concat(highS).Append((byte)(signature[64] ^ 1)).ToArray();
            Assert.True(Secp256k1.Verify(publicKey, digest, flipped));
            Assert.True(Secp256k1.TryRecover(digest, flipped.AsSpan(0, 64), flipped[64], recovered));
            Assert.Equal(publicKey, recovered);
        }
    }

    [Fact]
    public void IsLowS_BoundaryIsHalfTheOrder()
    {
        Assert.True(Secp256k1.IsLowS(Convert.FromHexString(ToHex32(N / 2))));
        Assert.False(Secp256k1.IsLowS(Convert.FromHexString(ToHex32((N / 2) + 1))));
        Assert.True(Secp256k1.IsLowS(Convert.FromHexString(ToHex32(1))));
        Assert.False(Secp256k1.IsLowS(Convert.FromHexString(ToHex32(N - 1))));
        Assert.False(Secp256k1.IsLowS(Convert.FromHexString(ToHex32(N))));
        Assert.Throws<ArgumentException>(() => Secp256k1.IsLowS(new byte[31]));
    }

    [Fact]
    public void CompressPublicKey_RoundTripsAndMatchesSec1Prefix()
    {
        var random = new Random(7);
        for (int i = 0; i < 20; i++)
        {
            var publicKey = Secp256k1.DerivePublicKey(RandomPrivateKey(random));
            var compressed = Secp256k1.CompressPublicKey(publicKey);
            Assert.Equal(33, compressed.Length);
            Assert.Equal((publicKey[63] & 1) == 0 ? 0x02 : 0x03, compressed[0]);
            Assert.Equal(publicKey.AsSpan(0, 32).ToArray(), compressed.AsSpan(1).ToArray());
            Assert.Equal(publicKey, Secp256k1.DecompressPublicKey(compressed));
        }

        // Published compressed generator.
        Assert.Equal("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
            Convert.ToHexStringLower(Secp256k1.CompressPublicKey(Secp256k1.DerivePublicKey(Convert.FromHexString(ToHex32(1))))));
    }

    [Fact]
    public void DecompressPublicKey_RejectsMalformedInput()
    {
        var valid = Convert.FromHexString("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        Assert.Throws<ArgumentException>(() => Secp256k1.DecompressPublicKey(valid.AsSpan(0, 32)));
        Assert.Throws<ArgumentException>(() => Secp256k1.DecompressPublicKey([.. valid, 0]));
        Assert.Throws<ArgumentException>(() => Secp256k1.DecompressPublicKey([0x04, .. valid.AsSpan(1)]));
        Assert.Throws<ArgumentException>(() => Secp256k1.DecompressPublicKey([0x00, .. valid.AsSpan(1)]));
        Assert.Throws<ArgumentException>(() => Secp256k1.DecompressPublicKey([0x02, .. Enumerable.Repeat((byte)0xff, 32)]));
        BigInteger offCurve = 1;
        while (ReferenceSqrt((BigInteger.ModPow(offCurve, 3, P) + 7) % P) is not null)
        {
            offCurve++;
        }

        Assert.Throws<ArgumentException>(() => Secp256k1.DecompressPublicKey(Convert.FromHexString("02" + ToHex32(offCurve))));
        Assert.Throws<ArgumentException>(() => Secp256k1.CompressPublicKey(new byte[64]));
        Assert.Throws<ArgumentException>(() => Secp256k1.CompressPublicKey(new byte[65]));
    }

    [Fact]
    public void SignVerifyRecover_HoldForRandomKeysAndDigests()
    {
        var keys = ArbMap.Default.GeneratorFor<byte[]>()
            .Where(bytes => bytes.Length >= 1)
            .Select(bytes => DeriveKeyFrom(bytes));
        var digests = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32);
        var property = Prop.ForAll(Arb.From(keys), Arb.From(digests), (key, digest) =>
        {
            var publicKey = Secp256k1.DerivePublicKey(key);
            var signature = Secp256k1.Sign(key, digest);
            var recovered = new byte[64];
            return Secp256k1.Verify(publicKey, digest, signature)
                && Secp256k1.IsLowS(signature.AsSpan(32, 32))
                && signature[64] <= 1
                && Secp256k1.TryRecover(digest, signature.AsSpan(0, 64), signature[64], recovered)
                && recovered.AsSpan().SequenceEqual(publicKey);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    [Fact]
    public void MultiplyAddVariableTime_AgreesWithBigIntegerForEdgeScalars()
    {
        var scalars = new[]
        {
            BigInteger.Zero, BigInteger.One, 2, N - 1, N - 2, N / 2, (N / 2) + 1, (BigInteger.One << 128) - 1,
            BigInteger.One << 128, (BigInteger.One << 129) + 1, Hex("5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72"),
        };
        var point = ReferenceMultiply(7, (Gx, Gy))!.Value;
        var affine = new Secp256k1AffinePoint(ToField(point.X), ToField(point.Y));
        var multiplesOfG = scalars.Select(u => ReferenceMultiply(u, (Gx, Gy))).ToArray();
        var multiplesOfPoint = scalars.Select(u => ReferenceMultiply(u, point)).ToArray();
        for (int i = 0; i < scalars.Length; i++)
        {
            var u1 = scalars[i];
            for (int j = 0; j < scalars.Length; j++)
            {
                var u2 = scalars[j];
                var expected = ReferenceAdd(multiplesOfG[i], multiplesOfPoint[j]);
                var actual = Secp256k1Multiplier.MultiplyAddVariableTime(ToScalar(u1), affine, ToScalar(u2));
                Assert.Equal(expected is null, actual.IsInfinity);
                if (expected is { } q)
                {
                    var z = FromField(actual.Z);
                    var zInverse = BigInteger.ModPow(z, P - 2, P);
                    Assert.Equal(q.X, FromField(actual.X) * zInverse % P * zInverse % P);
                    Assert.Equal(q.Y, FromField(actual.Y) * BigInteger.ModPow(zInverse, 3, P) % P);
                }
            }
        }
    }

    [Fact]
    public void FieldArithmetic_AgreesWithBigInteger()
    {
        var random = new Random(8);
        var edges = new[] { BigInteger.Zero, BigInteger.One, P - 1, P - 2, (BigInteger.One << 255) - 1, BigInteger.One << 255, (BigInteger.One << 32) + 977 };
        var values = edges.Concat(Enumerable.Range(0, 200).Select(_ => RandomBelow(random, P))).ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            var a = values[i];
            var b = values[(i * 7 + 3) % values.Length];
            var fa = ToField(a);
            var fb = ToField(b);
            Assert.Equal(a * b % P, FromField(Secp256k1Field.Multiply(fa, fb)));
            Assert.Equal(a * a % P, FromField(Secp256k1Field.Square(fa)));
            Assert.Equal((a + b) % P, FromField(Secp256k1Field.Add(fa, fb)));
            Assert.Equal(((a - b) % P + P) % P, FromField(Secp256k1Field.Subtract(fa, fb)));
            Assert.Equal((P - a) % P, FromField(Secp256k1Field.Negate(fa)));
            if (!a.IsZero)
            {
                var inverse = BigInteger.ModPow(a, P - 2, P);
                Assert.Equal(inverse, FromField(Secp256k1Field.Invert(fa)));
                Assert.Equal(inverse, FromField(Secp256k1Field.InvertVariableTime(fa)));
            }

            bool isSquare = a.IsZero || BigInteger.ModPow(a, (P - 1) / 2, P).IsOne;
            Assert.Equal(isSquare, Secp256k1Field.TrySquareRoot(fa, out var root));
            if (isSquare)
            {
                Assert.Equal(a, FromField(root) * FromField(root) % P);
            }
        }
    }

    [Fact]
    public void ScalarArithmetic_AgreesWithBigInteger()
    {
        var random = new Random(9);
        var edges = new[] { BigInteger.Zero, BigInteger.One, N - 1, N - 2, N / 2, (N / 2) + 1, (BigInteger.One << 128) - 1 };
        var values = edges.Concat(Enumerable.Range(0, 200).Select(_ => RandomBelow(random, N))).ToArray();
        var lambda = Hex("5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72");
        for (int i = 0; i < values.Length; i++)
        {
            var a = values[i];
            var b = values[(i * 5 + 1) % values.Length];
            var sa = ToScalar(a);
            var sb = ToScalar(b);
            Assert.Equal(a * b % N, FromScalar(Secp256k1Scalar.Multiply(sa, sb)));
            Assert.Equal((a + b) % N, FromScalar(Secp256k1Scalar.Add(sa, sb)));
            Assert.Equal((N - a) % N, FromScalar(Secp256k1Scalar.Negate(sa)));
            Assert.Equal(a > N / 2, sa.IsHigh);
            if (!a.IsZero)
            {
                var inverse = BigInteger.ModPow(a, N - 2, N);
                Assert.Equal(inverse, FromScalar(Secp256k1Scalar.Invert(sa)));
                Assert.Equal(inverse, FromScalar(Secp256k1Scalar.InvertVariableTime(sa)));
            }

            Secp256k1Scalar.SplitLambda(sa, out var k1, out bool k1Negative, out var k2, out bool k2Negative);
            var v1 = k1Negative ? -(BigInteger)k1 : (BigInteger)k1;
            var v2 = k2Negative ? -(BigInteger)k2 : (BigInteger)k2;
            Assert.Equal(a, (((v1 + (v2 * lambda)) % N) + N) % N);
        }

        // Digests >= n are reduced once.
        Assert.Equal(BigInteger.One, FromScalar(Secp256k1Scalar.ReadReduced(Convert.FromHexString(ToHex32(N + 1)))));
        Assert.False(Secp256k1Scalar.TryRead(Convert.FromHexString(ToHex32(N)), out _));
    }

    private static byte[] DeriveKeyFrom(byte[] seed)
    {
        var key = SHA256.HashData(seed);
        return Secp256k1.IsValidPrivateKey(key) ? key : Convert.FromHexString(ToHex32(1));
    }

    private static byte[] RandomPrivateKey(Random random) => Convert.FromHexString(ToHex32(RandomBelow(random, N - 1) + 1));

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static BigInteger RandomBelow(Random random, BigInteger bound)
    {
        var bytes = new byte[32];
        BigInteger value;
        do
        {
            random.NextBytes(bytes);
            value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        }
        while (value >= bound);
        return value;
    }

    private static BigInteger Hex(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static BigInteger FromBytes(byte[] bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    private static string ToHex32(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.True(bytes.Length <= 32);
        return Convert.ToHexStringLower(bytes).PadLeft(64, '0');
    }

    private static Secp256k1Field ToField(BigInteger value)
    {
        Assert.True(Secp256k1Field.TryRead(Convert.FromHexString(ToHex32(value)), out var field));
        return field;
    }

    private static BigInteger FromField(Secp256k1Field value)
    {
        var bytes = new byte[32];
        value.Write(bytes);
        return FromBytes(bytes);
    }

    private static Secp256k1Scalar ToScalar(BigInteger value)
    {
        Assert.True(Secp256k1Scalar.TryRead(Convert.FromHexString(ToHex32(value)), out var scalar));
        return scalar;
    }

    private static BigInteger FromScalar(Secp256k1Scalar value)
    {
        var bytes = new byte[32];
        value.Write(bytes);
        return FromBytes(bytes);
    }

    // Textbook affine arithmetic with BigInteger: an independent reference for points and recovery.
    private static BigInteger? ReferenceSqrt(BigInteger a)
    {
        var root = BigInteger.ModPow(a, (P + 1) / 4, P);
        return root * root % P == a ? root : null;
    }

    private static (BigInteger X, BigInteger Y)? ReferenceAdd((BigInteger X, BigInteger Y)? a, (BigInteger X, BigInteger Y)? b)
    {
        if (a is not { } p1)
        {
            return b;
        }

        if (b is not { } p2)
        {
            return a;
        }

        BigInteger slope;
        if (p1.X == p2.X)
        {
            if ((p1.Y + p2.Y) % P == 0)
            {
                return null;
            }

            slope = 3 * p1.X * p1.X % P * BigInteger.ModPow(2 * p1.Y % P, P - 2, P) % P;
        }
        else
        {
            slope = ((p2.Y - p1.Y) % P + P) % P * BigInteger.ModPow(((p2.X - p1.X) % P + P) % P, P - 2, P) % P;
        }

        var x = ((slope * slope - p1.X - p2.X) % P + P) % P;
        var y = ((slope * (p1.X - x) - p1.Y) % P + P) % P;
        return (x, y);
    }

    private static (BigInteger X, BigInteger Y)? ReferenceMultiply(BigInteger k, (BigInteger X, BigInteger Y)? point)
    {
        (BigInteger X, BigInteger Y)? result = null;
        var addend = point;
        while (k > 0)
        {
            if (!k.IsEven)
            {
                result = ReferenceAdd(result, addend);
            }

            addend = ReferenceAdd(addend, addend);
            k >>= 1;
        }

        return result;
    }

    private static (BigInteger X, BigInteger Y)? ReferenceRecover(BigInteger e, BigInteger r, BigInteger s, int recoveryId)
    {
        var x = recoveryId >= 2 ? r + N : r;
        if (x >= P || ReferenceSqrt((BigInteger.ModPow(x, 3, P) + 7) % P) is not { } y)
        {
            return null;
        }

        if (y.IsEven != ((recoveryId & 1) == 0))
        {
            y = P - y;
        }

        var rInverse = BigInteger.ModPow(r, N - 2, N);
        var u1 = (N - (e % N) * rInverse % N) % N;
        var u2 = s * rInverse % N;
        return ReferenceAdd(ReferenceMultiply(u1, (Gx, Gy)), ReferenceMultiply(u2, (x, y)));
    }
}
