using BenchmarkDotNet.Attributes;
using Trellis.Benchmarks.Reference;
using Trellis.Crypto.National;

namespace Trellis.Benchmarks;

/// <summary>SM2 sign and verify (SM3 digest, default user id, 128-byte message), managed versus OpenSSL.</summary>
[MemoryDiagnoser]
public class Sm2Benchmarks
{
    private readonly byte[] _message = new byte[128];
    private byte[] _privateKey = null!;
    private byte[] _publicKey = null!;
    private byte[] _signature = null!;
    private byte[] _digest = null!;
    private OpenSslSm2 _openSsl = null!;
    private byte[] _openSslSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(3).NextBytes(_message);
        _privateKey = Sm2.GeneratePrivateKey();
        _publicKey = Sm2.DerivePublicKey(_privateKey);
        _signature = Sm2.Sign(_privateKey, _message);
        _digest = Sm3.Hash([.. Sm2.ComputeZ(_publicKey, Sm2.DefaultUserId), .. _message]);
        _openSsl = new OpenSslSm2();
        _openSslSignature = _openSsl.Sign(_message);
        if (!Sm2.Verify(_publicKey, _message, _signature) || !_openSsl.Verify(_message, _openSslSignature))
        {
            throw new InvalidOperationException("benchmark signatures do not verify");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _openSsl.Dispose();

    [Benchmark]
    public byte[] Sign() => Sm2.Sign(_privateKey, _message);

    [Benchmark]
    public bool Verify() => Sm2.Verify(_publicKey, _message, _signature);

    [Benchmark]
    public bool VerifyDigest() => Sm2.VerifyDigest(_publicKey, _digest, _signature);

    [Benchmark]
    public byte[] OpenSsl_Sign() => _openSsl.Sign(_message);

    [Benchmark]
    public bool OpenSsl_Verify() => _openSsl.Verify(_message, _openSslSignature);
}
