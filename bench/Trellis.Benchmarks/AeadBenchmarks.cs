using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Trellis.Benchmarks.Reference;
using Trellis.Crypto.National;
using Trellis.Crypto.Standard;

namespace Trellis.Benchmarks;

/// <summary>
/// One-shot AEAD encryption of 1 KiB (key given on every call, as a suite uses it), Trellis beside references:
/// OpenSSL SM4-GCM where libcrypto has it (3.2+), OpenSSL SM4-CTR (the GCM cipher stream without GHASH, a lower
/// bound for OpenSSL SM4-GCM on older libcrypto), BouncyCastle SM4-GCM, and OpenSSL AES-256-GCM.
/// </summary>
[MemoryDiagnoser]
public class AeadBenchmarks
{
    private const int MessageSize = 1024;

    private readonly byte[] _key16 = new byte[16];
    private readonly byte[] _key32 = new byte[32];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _counter = new byte[16];
    private readonly byte[] _plaintext = new byte[MessageSize];
    private readonly byte[] _ciphertext = new byte[MessageSize + 16];
    private readonly byte[] _tag = new byte[16];
    private Action _encrypt = () => { };
    private OpenSslCipher? _openSsl;

    /// <summary>The implementations measured; OpenSSL SM4-GCM only where libcrypto provides it.</summary>
    public static IEnumerable<string> Implementations()
    {
        yield return "Trellis SM4-GCM";
        if (OpenSslCipher.IsAvailable("SM4-GCM"))
        {
            yield return "OpenSSL SM4-GCM";
        }

        yield return "OpenSSL SM4-CTR (no GHASH)";
        yield return "BouncyCastle SM4-GCM";
        yield return "Trellis AES-256-GCM";
        yield return "OpenSSL AES-256-GCM";
    }

    [ParamsSource(nameof(Implementations))]
    public string Implementation { get; set; } = "Trellis SM4-GCM";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1024);
        random.NextBytes(_key16);
        random.NextBytes(_key32);
        random.NextBytes(_nonce);
        random.NextBytes(_plaintext);
        _nonce.CopyTo(_counter, 0);
        _counter[15] = 2;
        _encrypt = Implementation switch
        {
            "Trellis SM4-GCM" => () => Sm4GcmCipher.Instance.Encrypt(_key16, _nonce, _plaintext, _ciphertext.AsSpan(0, MessageSize), _tag),
            "OpenSSL SM4-GCM" => OpenSslEncrypt("SM4-GCM", _key16, _nonce, _tag),
            "OpenSSL SM4-CTR (no GHASH)" => OpenSslEncrypt("SM4-CTR", _key16, _counter, []),
            "BouncyCastle SM4-GCM" => BouncyCastleSm4GcmEncrypt,
            "Trellis AES-256-GCM" => () => Aes256GcmCipher.Instance.Encrypt(_key32, _nonce, _plaintext, _ciphertext.AsSpan(0, MessageSize), _tag),
            "OpenSSL AES-256-GCM" => OpenSslEncrypt("AES-256-GCM", _key32, _nonce, _tag),
            _ => throw new InvalidOperationException($"unknown implementation {Implementation}"),
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _openSsl?.Dispose();

    [Benchmark(Description = "Encrypt 1 KiB")]
    public void Encrypt1KiB() => _encrypt();

    private Action OpenSslEncrypt(string name, byte[] key, byte[] iv, byte[] tag)
    {
        var cipher = new OpenSslCipher(name);
        _openSsl = cipher;
        return () => cipher.Encrypt(key, iv, _plaintext, _ciphertext, tag, []);
    }

    private void BouncyCastleSm4GcmEncrypt()
    {
        // Keyed per call like the others; BouncyCastle allocates its engine and GCM tables here.
        var gcm = new GcmBlockCipher(new SM4Engine());
        gcm.Init(true, new AeadParameters(new KeyParameter(_key16), 128, _nonce));
        var written = gcm.ProcessBytes(_plaintext, 0, MessageSize, _ciphertext, 0);
        gcm.DoFinal(_ciphertext, written);
    }
}
