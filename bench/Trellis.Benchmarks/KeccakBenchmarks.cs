using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Trellis.Benchmarks.Reference;
using Trellis.Core;

namespace Trellis.Benchmarks;

/// <summary>
/// Keccak-256 of 32 bytes (the common case: a key, a hash of a hash) and of 1 KiB, beside OpenSSL 3 libcrypto.
/// The reference is OpenSSL's KECCAK-256 where the installed libcrypto has it (3.2+); otherwise its SHA3-256,
/// which runs the same permutation at the same rate and differs only in the padding byte, so costs the same.
/// </summary>
[Config(typeof(ThroughputConfig))]
[MemoryDiagnoser]
public class KeccakBenchmarks
{
    private readonly byte[] _output = new byte[32];
    private byte[] _input = [];
    private OpenSslDigestAlgorithm? _reference;

    [Params(32, 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = new byte[Size];
        new Random(42).NextBytes(_input);
        _reference = OpenSslDigest.TryFetch("KECCAK-256") ?? OpenSslDigest.Fetch("SHA3-256");
        Console.WriteLine($"// Reference: OpenSSL {_reference.Name} (libcrypto.so.3)");
    }

    [GlobalCleanup]
    public void Cleanup() => _reference?.Dispose();

    [Benchmark(Baseline = true, Description = "Trellis Keccak256")]
    public Hash256 Trellis() => Keccak256.Hash(_input);

    [Benchmark(Description = "Trellis Keccak256 (span)")]
    public byte TrellisSpan()
    {
        Keccak256.Hash(_input, _output);
        return _output[0];
    }

    [Benchmark(Description = "OpenSSL (KECCAK-256 or SHA3-256)")]
    public byte OpenSsl()
    {
        OpenSslDigest.Hash(_reference!, _input, _output);
        return _output[0];
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
