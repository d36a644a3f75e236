using System.Numerics;
using BenchmarkDotNet.Attributes;
using Trellis.Evm.Precompiles;

namespace Trellis.Benchmarks;

/// <summary>
/// EVM precompiles on their typical inputs: a 2-pair bn254 pairing check (the Groth16-style verifier shape), a bn254
/// scalar multiplication by a full 256-bit scalar, a 256-bit modexp (EIP-2565's first example: 3^(p-1) mod p for
/// secp256k1's p) with System.Numerics.BigInteger.ModPow on the same operands as the reference, and BLAKE2b F with 12
/// rounds. Inputs are the go-ethereum vectors used by the tests (two_point_match_2, cdetrio1, eip_example1, vector 5).
/// </summary>
[MemoryDiagnoser]
public class PrecompileBenchmarks
{
    private const string PairingInput =
        "00000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000002"
        + "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
        + "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"
        + "00000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000002"
        + "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
        + "275dc4a288d1afb3cbb1ac09187524c7db36395df7be3b99e673b13a075a65ec1d9befcd05a5323e6da4d435f3b617cdb3af83285c2df711ef39c01571827f9d";

    private const string MulInput =
        "1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe31a2f3c951f6dadcc7ee9007dff81504b0fcd6d7cf59996efdc33d92bf7f9f8f6"
        + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    private const string ModExpInput =
        "0000000000000000000000000000000000000000000000000000000000000001"
        + "0000000000000000000000000000000000000000000000000000000000000020"
        + "0000000000000000000000000000000000000000000000000000000000000020"
        + "03"
        + "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e"
        + "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";

    private const string Blake2FInput =
        "0000000c48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e13"
        + "19cde05b616263000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        + "000000000300000000000000000000000000000001";

    private readonly Bn254PairingPrecompile _pairing = new();
    private readonly Bn254MulPrecompile _mul = new();
    private readonly ModExpPrecompile _modExp = new();
    private readonly Blake2FPrecompile _blake2F = new();
    private byte[] _pairingInput = [];
    private byte[] _mulInput = [];
    private byte[] _modExpInput = [];
    private byte[] _blake2FInput = [];
    private BigInteger _base;
    private BigInteger _exponent;
    private BigInteger _modulus;

    [GlobalSetup]
    public void Setup()
    {
        _pairingInput = Convert.FromHexString(PairingInput);
        _mulInput = Convert.FromHexString(MulInput);
        _modExpInput = Convert.FromHexString(ModExpInput);
        _blake2FInput = Convert.FromHexString(Blake2FInput);
        _base = 3;
        _exponent = new BigInteger(_modExpInput.AsSpan(97, 32), isUnsigned: true, isBigEndian: true);
        _modulus = new BigInteger(_modExpInput.AsSpan(129, 32), isUnsigned: true, isBigEndian: true);
        if (_blake2FInput.Length != Blake2FPrecompile.InputLength || !_pairing.TryRun(_pairingInput, out var result) || result[31] != 1)
        {
            throw new InvalidOperationException("benchmark inputs are malformed");
        }
    }

    [Benchmark(Description = "bn254 pairing check, 2 pairs")]
    public byte[] PairingTwoPairs()
    {
        _pairing.TryRun(_pairingInput, out var output);
        return output;
    }

    [Benchmark(Description = "bn254 G1 mul, 256-bit scalar")]
    public byte[] Bn254Mul()
    {
        _mul.TryRun(_mulInput, out var output);
        return output;
    }

    [Benchmark(Description = "modexp 256-bit (precompile)")]
    public byte[] ModExp()
    {
        _modExp.TryRun(_modExpInput, out var output);
        return output;
    }

    [Benchmark(Description = "modexp 256-bit (BigInteger.ModPow reference)")]
    public BigInteger ModExpReference() => BigInteger.ModPow(_base, _exponent, _modulus);

    [Benchmark(Description = "blake2f, 12 rounds")]
    public byte[] Blake2F()
    {
        _blake2F.TryRun(_blake2FInput, out var output);
        return output;
    }
}
