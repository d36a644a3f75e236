using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Trellis.Core;

namespace Trellis.Benchmarks;

/// <summary>
/// UInt256 arithmetic against the same operations in <see cref="BigInteger"/> (the reference, marked baseline in
/// each category). Each benchmark runs over a fixed set of 16 operand pairs of mixed sizes; the reported time is
/// per operation. Run: <c>dotnet run -c Release --project bench/Trellis.Benchmarks -- --filter '*UInt256*'</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class UInt256Benchmarks
{
    private const int Count = 16;
    private static readonly BigInteger Modulus = BigInteger.One << 256;

    private readonly UInt256[] _a = new UInt256[Count];
    private readonly UInt256[] _b = new UInt256[Count];
    private readonly UInt256[] _divisors = new UInt256[Count];
    private readonly UInt256[] _moduli = new UInt256[Count];
    private readonly UInt256[] _exponents = new UInt256[Count];
    private readonly BigInteger[] _bigA = new BigInteger[Count];
    private readonly BigInteger[] _bigB = new BigInteger[Count];
    private readonly BigInteger[] _bigDivisors = new BigInteger[Count];
    private readonly BigInteger[] _bigModuli = new BigInteger[Count];
    private readonly BigInteger[] _bigExponents = new BigInteger[Count];

    [GlobalSetup]
    public void Setup()
    {
        // Fixed seed: the same operands in every run. Values use all four limbs; divisors and moduli take 1 to 4
        // limbs in turn; exponents range from one byte to 32 bytes, like the EXP operands contracts use.
        var random = new Random(20240601);
        for (int i = 0; i < Count; i++)
        {
            _a[i] = RandomValue(random, 4);
            _b[i] = RandomValue(random, 4);
            _divisors[i] = RandomValue(random, 1 + (i % 4));
            _moduli[i] = RandomValue(random, 1 + (i % 4));
            _exponents[i] = RandomValue(random, 1 + (i % 4)) >> (i * 13 % 64);
            _bigA[i] = _a[i].ToBigInteger();
            _bigB[i] = _b[i].ToBigInteger();
            _bigDivisors[i] = _divisors[i].ToBigInteger();
            _bigModuli[i] = _moduli[i].ToBigInteger();
            _bigExponents[i] = _exponents[i].ToBigInteger();
        }
    }

    private static UInt256 RandomValue(Random random, int limbs)
    {
        ulong Limb() => (ulong)random.NextInt64() | ((ulong)random.Next(2) << 63);
        return new UInt256(Limb(), limbs > 1 ? Limb() : 0, limbs > 2 ? Limb() : 0, limbs > 3 ? Limb() | 1UL << 60 : 0);
    }

    [Benchmark(OperationsPerInvoke = Count)]
    [BenchmarkCategory("Add")]
    public UInt256 Add()
    {
        UInt256 accumulator = default;
        for (int i = 0; i < Count; i++)
        {
            UInt256.Add(_a[i], _b[i], out var sum);
            UInt256.Xor(accumulator, sum, out accumulator);
        }

        return accumulator;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    [BenchmarkCategory("Add")]
    public BigInteger AddBigInteger()
    {
        BigInteger accumulator = default;
        for (int i = 0; i < Count; i++)
        {
            accumulator ^= (_bigA[i] + _bigB[i]) % Modulus;
        }

        return accumulator;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    [BenchmarkCategory("Multiply")]
    public UInt256 Multiply()
    {
        UInt256 accumulator = default;
        for (int i = 0; i < Count; i++)
        {
            UInt256.Multiply(_a[i], _b[i], out var product);
            UInt256.Xor(accumulator, product, out accumulator);
        }

        return accumulator;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    [BenchmarkCategory("Multiply")]
    public BigInteger MultiplyBigInteger()
    {
        BigInteger accumulator = default;
        for (int i = 0; i < Count; i++)
        {
            accumulator ^= _bigA[i] * _bigB[i] % Modulus;
        }

        return accumulator;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    [BenchmarkCategory("Divide")]
    public UInt256 Divide()
    {
        UInt256 accumulator = default;
        for (int i = 0; i < Count; i++)
        {
            UInt256.Divide(_a[i], _divisors[i], out var quotient);
            UInt256.Xor(accumulator, quotient, out accumulator);
        }

        return accumulator;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    [BenchmarkCategory("Divide")]
    public BigInteger DivideBigInteger()
    {
        BigInteger accumulator = default;
        for (int i = 0; i < Count; i++)
        {
            accumulator ^= _bigA[i] / _bigDivisors[i];
        }

        return accumulator;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    [BenchmarkCategory("MulMod")]
    public UInt256 MulMod()
    {
        UInt256 accumulator = default;
        for (int i = 0; i < Count; i++)
        {
            UInt256.MulMod(_a[i], _b[i], _moduli[i], out var result);
            UInt256.Xor(accumulator, result, out accumulator);
        }

        return accumulator;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    [BenchmarkCategory("MulMod")]
    public BigInteger MulModBigInteger()
    {
        BigInteger accumulator = default;
        for (int i = 0; i < Count; i++)
        {
            accumulator ^= _bigA[i] * _bigB[i] % _bigModuli[i];
        }

        return accumulator;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    [BenchmarkCategory("Exp")]
    public UInt256 Exp()
    {
        UInt256 accumulator = default;
        for (int i = 0; i < Count; i++)
        {
            UInt256.Exp(_a[i], _exponents[i], out var result);
            UInt256.Xor(accumulator, result, out accumulator);
        }

        return accumulator;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    [BenchmarkCategory("Exp")]
    public BigInteger ExpBigInteger()
    {
        BigInteger accumulator = default;
        for (int i = 0; i < Count; i++)
        {
            accumulator ^= BigInteger.ModPow(_bigA[i], _bigExponents[i], Modulus);
        }

        return accumulator;
    }
}
