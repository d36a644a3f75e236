using System.Globalization;
using System.Security.Cryptography;
using Trellis.Benchmarks.Reference;
using Trellis.Core;
using Trellis.Crypto.National;
using Trellis.Crypto.Standard;

namespace Trellis.Benchmarks.CpuTime;

/// <summary>
/// <c>dotnet run -c Release --project bench/Trellis.Benchmarks -- cputime [rounds] [seconds]</c>: the crypto goals of
/// the foundation issue in operations per CPU-second, each beside the same operation through OpenSSL measured in the
/// same process, interleaved round by round.
/// </summary>
internal static class CryptoCpuTimeReport
{
    private sealed record Row(string Name, Action<int> Ours, string ReferenceName, Action<int>? Reference, int Batch, int Bytes, double Goal, string GoalText);

    public static void Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1.0;

        var small = RandomNumberGenerator.GetBytes(32);
        var large = RandomNumberGenerator.GetBytes(1024);
        var output = new byte[32];
        var referenceOutput = new byte[32];
        var digest = Keccak256.Hash(large).ToArray();

        var keccakReference = OpenSslDigest.TryFetch("KECCAK-256");
        var keccakReferenceName = keccakReference is null ? "OpenSSL SHA3-256 (no KECCAK-256 in this OpenSSL)" : "OpenSSL KECCAK-256";
        keccakReference ??= OpenSslDigest.Fetch("SHA3-256");
        var sm3Reference = OpenSslDigest.Fetch("SM3");

        var secpKey = Secp256k1.GeneratePrivateKey();
        var secpPublic = Secp256k1.DerivePublicKey(secpKey);
        var secpSignature = Secp256k1.Sign(secpKey, digest);
        using var opensslSecp = OpenSslEcdsa.Create("secp256k1", secpKey);
        var opensslSecpSignature = opensslSecp.Sign(digest);
        var p256Key = RandomNumberGenerator.GetBytes(32);
        p256Key[0] &= 0x7f; // below the P-256 order
        using var opensslP256 = OpenSslEcdsa.Create("prime256v1", p256Key);
        var opensslP256Signature = opensslP256.Sign(digest);
        var recovered = new byte[64];

        // One signature repeated lets the branch predictor memorise the variable-time paths (wNAF digits, the
        // binary inverse); a node recovers a different signature per transaction, so also rotate through many.
        var distinctDigests = new byte[1024][];
        var distinctSignatures = new byte[1024][];
        for (int i = 0; i < distinctSignatures.Length; i++)
        {
            distinctDigests[i] = SHA256.HashData(BitConverter.GetBytes(i));
            distinctSignatures[i] = Secp256k1.Sign(Secp256k1.GeneratePrivateKey(), distinctDigests[i]);
        }

        int distinctIndex = 0;

        var sm2Key = Sm2.GeneratePrivateKey();
        var sm2Public = Sm2.DerivePublicKey(sm2Key);
        var sm2Signature = Sm2.Sign(sm2Key, large.AsSpan(0, 128));
        using var opensslSm2 = new OpenSslSm2();
        var opensslSm2Signature = opensslSm2.Sign(large.AsSpan(0, 128));

        if (!Secp256k1.TryRecover(digest, secpSignature.AsSpan(0, 64), secpSignature[64], recovered) || !recovered.AsSpan().SequenceEqual(secpPublic)
            || !opensslSecp.Verify(digest, opensslSecpSignature) || !opensslP256.Verify(digest, opensslP256Signature)
            || !Sm2.Verify(sm2Public, large.AsSpan(0, 128), sm2Signature) || !opensslSm2.Verify(large.AsSpan(0, 128), opensslSm2Signature))
        {
            throw new InvalidOperationException("a signature did not verify before measuring");
        }

        Row[] rows =
        [
            new("Keccak-256, 32 B", n => Repeat(n, () => Keccak256.Hash(small, output)), keccakReferenceName, n => Repeat(n, () => OpenSslDigest.Hash(keccakReference, small, referenceOutput)), 20_000, 0, 1_000_000, ">= 1,000,000/s"),
            new("Keccak-256, 1 KiB", n => Repeat(n, () => Keccak256.Hash(large, output)), keccakReferenceName, n => Repeat(n, () => OpenSslDigest.Hash(keccakReference, large, referenceOutput)), 2_000, 1024, 0, ""),
            new("SM3, 32 B", n => Repeat(n, () => Sm3.Hash(small, output)), "OpenSSL SM3", n => Repeat(n, () => OpenSslDigest.Hash(sm3Reference, small, referenceOutput)), 20_000, 32, 0, ""),
            new("SM3, 1 KiB", n => Repeat(n, () => Sm3.Hash(large, output)), "OpenSSL SM3", n => Repeat(n, () => OpenSslDigest.Hash(sm3Reference, large, referenceOutput)), 2_000, 1024, 300e6 / 1024, ">= 300 MB/s"),
            new("secp256k1 sign", n => Repeat(n, () => Secp256k1.Sign(secpKey, digest)), "OpenSSL secp256k1 sign", n => Repeat(n, () => opensslSecp.Sign(digest)), 100, 0, 0, ""),
            new("secp256k1 verify", n => Repeat(n, () => Secp256k1.Verify(secpPublic, digest, secpSignature)), "OpenSSL secp256k1 verify", n => Repeat(n, () => opensslSecp.Verify(digest, opensslSecpSignature)), 100, 0, 0, ""),
            new("secp256k1 recover", n => Repeat(n, () => Secp256k1.TryRecover(digest, secpSignature.AsSpan(0, 64), secpSignature[64], recovered)), "OpenSSL P-256 verify", n => Repeat(n, () => opensslP256.Verify(digest, opensslP256Signature)), 100, 0, 15_000, ">= 15,000/s"),
            new("secp256k1 recover*", n => Repeat(n, () =>
            {
                int i = distinctIndex++ & 1023;
                Secp256k1.TryRecover(distinctDigests[i], distinctSignatures[i].AsSpan(0, 64), distinctSignatures[i][64], recovered);
            }), "OpenSSL P-256 verify", n => Repeat(n, () => opensslP256.Verify(digest, opensslP256Signature)), 100, 0, 15_000, ">= 15,000/s"),
            new("SM2 sign", n => Repeat(n, () => Sm2.Sign(sm2Key, large.AsSpan(0, 128))), "OpenSSL SM2 sign", n => Repeat(n, () => opensslSm2.Sign(large.AsSpan(0, 128))), 100, 0, 0, ""),
            new("SM2 verify", n => Repeat(n, () => Sm2.Verify(sm2Public, large.AsSpan(0, 128), sm2Signature)), "OpenSSL SM2 verify", n => Repeat(n, () => opensslSm2.Verify(large.AsSpan(0, 128), opensslSm2Signature)), 100, 0, 8_000, ">= 8,000/s"),
        ];

        Console.WriteLine($"crypto, operations per CPU-second (median of {rounds} interleaved rounds of {seconds} CPU-s), {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        Console.WriteLine($"{"operation",-20} {"Trellis",14} {"reference",14} {"ratio",6}  reference                                   goal");
        foreach (var row in rows)
        {
            var (ours, reference) = CpuTimeMeter.Compare(row.Ours, row.Reference, row.Batch, rounds, seconds);
            var goal = row.Goal <= 0 ? "" : $"{row.GoalText} {(ours >= row.Goal ? "met" : "MISSED")}";
            var throughput = row.Bytes > 0 ? $" ({ours * row.Bytes / 1e6:F0} MB/s vs {reference * row.Bytes / 1e6:F0} MB/s)" : "";
            Console.WriteLine($"{row.Name,-20} {ours,12:N0}/s {reference,12:N0}/s {ours / reference,6:F2}  {row.ReferenceName,-42}  {goal}{throughput}");
        }

        Console.WriteLine("* rotating through 1,024 distinct signatures (other rows repeat one input)");
    }

    private static void Repeat(int count, Action action)
    {
        for (var i = 0; i < count; i++)
        {
            action();
        }
    }
}
