using BenchmarkDotNet.Attributes;
using Trellis.Benchmarks.Reference;
using Trellis.Crypto.National;

namespace Trellis.Benchmarks;

/// <summary>SM3 of 32 B and 1 KiB inputs, managed versus OpenSSL (MB/s = bytes / mean time).</summary>
[MemoryDiagnoser]
public class Sm3Benchmarks
{
    private readonly byte[] _small = new byte[32];
    private readonly byte[] _large = new byte[1024];
    private readonly byte[] _output = new byte[32];
    private OpenSslSm2 _openSsl = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_small);
        new Random(2).NextBytes(_large);
        _openSsl = new OpenSslSm2();

        // The two implementations must agree before their speeds mean anything.
        var reference = new byte[32];
        _openSsl.Sm3(_large, reference);
        if (!reference.AsSpan().SequenceEqual(Sm3.Hash(_large)))
        {
            throw new InvalidOperationException("managed SM3 disagrees with OpenSSL");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _openSsl.Dispose();

    [Benchmark]
    public void Sm3_32B() => Sm3.Hash(_small, _output);

    [Benchmark]
    public void Sm3_1KiB() => Sm3.Hash(_large, _output);

    [Benchmark]
    public void OpenSsl_Sm3_32B() => _openSsl.Sm3(_small, _output);

    [Benchmark]
    public void OpenSsl_Sm3_1KiB() => _openSsl.Sm3(_large, _output);
}
