using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Trellis.Benchmarks.Reference;
using Trellis.Crypto.Standard;

namespace Trellis.Benchmarks;

/// <summary>
/// secp256k1 ECDSA: our Sign, Verify and Recover beside OpenSSL's secp256k1 sign/verify and OpenSSL's optimised
/// P-256 verify (the references), in one session. The Op/s column is the figure that matters (goal: Recover >= 15,000/s).
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
public class Secp256k1Benchmarks : IDisposable
{
    private readonly byte[] _recovered = new byte[Secp256k1.PublicKeyLength];
    private byte[] _privateKey = [];
    private byte[] _publicKey = [];
    private byte[] _digest = [];
    private byte[] _signature = [];
    private OpenSslEcdsa? _openSslSecp256k1;
    private OpenSslEcdsa? _openSslP256;
    private byte[] _openSslSecp256k1Signature = [];
    private byte[] _openSslP256Signature = [];
    private byte[][] _distinctDigests = [];
    private byte[][] _distinctSignatures = [];
    private int _distinctIndex;

    [GlobalSetup]
    public void Setup()
    {
        _privateKey = Secp256k1.GeneratePrivateKey();
        _publicKey = Secp256k1.DerivePublicKey(_privateKey);
        _digest = SHA256.HashData("Trellis secp256k1 benchmark"u8);
        _signature = Secp256k1.Sign(_privateKey, _digest);

        _distinctDigests = new byte[1024][];
        _distinctSignatures = new byte[1024][];
        for (int i = 0; i < _distinctSignatures.Length; i++)
        {
            _distinctDigests[i] = SHA256.HashData(BitConverter.GetBytes(i));
            _distinctSignatures[i] = Secp256k1.Sign(Secp256k1.GeneratePrivateKey(), _distinctDigests[i]);
        }

        _openSslSecp256k1 = OpenSslEcdsa.Create("secp256k1", _privateKey);
        _openSslSecp256k1Signature = _openSslSecp256k1.Sign(_digest);

        // Any 256-bit key below both orders is a valid P-256 key too.
        _openSslP256 = OpenSslEcdsa.Create("prime256v1", _privateKey);
        _openSslP256Signature = _openSslP256.Sign(_digest);

        if (!Secp256k1.Verify(_publicKey, _digest, _signature) || !_openSslSecp256k1.Verify(_digest, _openSslSecp256k1Signature)
            || !_openSslP256.Verify(_digest, _openSslP256Signature) || !Recover())
        {
            throw new InvalidOperationException("benchmark setup produced a signature that does not verify");
        }
    }

    [Benchmark]
    public byte[] Sign() => Secp256k1.Sign(_privateKey, _digest);

    [Benchmark]
    public bool Verify() => Secp256k1.Verify(_publicKey, _digest, _signature);

    [Benchmark]
    public bool Recover() => Secp256k1.TryRecover(_digest, _signature.AsSpan(0, 64), _signature[64], _recovered);

    /// <summary>Recovery rotating through 1,024 distinct signatures, so the branch predictor cannot memorise one input's path.</summary>
    [Benchmark]
    public bool RecoverDistinct()
    {
        int i = _distinctIndex++ & 1023;
        return Secp256k1.TryRecover(_distinctDigests[i], _distinctSignatures[i].AsSpan(0, 64), _distinctSignatures[i][64], _recovered);
    }

    [Benchmark]
    public byte[] OpenSslSecp256k1Sign() => _openSslSecp256k1!.Sign(_digest);

    [Benchmark]
    public bool OpenSslSecp256k1Verify() => _openSslSecp256k1!.Verify(_digest, _openSslSecp256k1Signature);

    [Benchmark]
    public bool OpenSslP256Verify() => _openSslP256!.Verify(_digest, _openSslP256Signature);

    [GlobalCleanup]
    public void Dispose()
    {
        _openSslSecp256k1?.Dispose();
        _openSslP256?.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed class OperationsPerSecondConfig : ManualConfig
    {
        public OperationsPerSecondConfig()
        {
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}
