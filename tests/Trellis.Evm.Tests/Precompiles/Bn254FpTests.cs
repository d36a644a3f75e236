using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Trellis.Evm.Precompiles;

namespace Trellis.Evm.Tests.Precompiles;

public class Bn254FpTests
{
    private static readonly BigInteger P = Bn254Reference.P;

    private static Arbitrary<BigInteger> FieldElements =>
        Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32)
            .Select(bytes => new BigInteger(bytes, isUnsigned: true, isBigEndian: true) % P)
            .ToArbitrary();

    [Fact]
    public void Multiply_AgreesWithBigInteger() =>
        Prop.ForAll(FieldElements, FieldElements, (a, b) => ToBig(From(a) * From(b)) == a * b % P)
            .QuickCheckThrowOnFailure();

    [Fact]
    public void AddAndSubtract_AgreeWithBigInteger() =>
        Prop.ForAll(FieldElements, FieldElements, (a, b) =>
                ToBig(From(a) + From(b)) == (a + b) % P && ToBig(From(a) - From(b)) == Bn254Reference.Mod(a - b))
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Inverse_AgreesWithBigInteger() =>
        Prop.ForAll(FieldElements, a => a.IsZero || ToBig(From(a).Inverse()) == BigInteger.ModPow(a, P - 2, P))
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Multiply_HandlesExtremes()
    {
        var max = P - 1;
        Assert.Equal(BigInteger.One, ToBig(From(max) * From(max)));
        Assert.Equal(BigInteger.Zero, ToBig(From(max) + From(1)));
        Assert.Equal(max, ToBig(From(0) - From(1)));
    }

    [Fact]
    public void TryRead_RejectsValuesFromModulusUp()
    {
        var bytes = new byte[32];
        Bn254Reference.Write(P, bytes);
        Assert.False(Bn254Fp.TryRead(bytes, out _));
        Bn254Reference.Write(P - 1, bytes);
        Assert.True(Bn254Fp.TryRead(bytes, out _));
        Assert.False(Bn254Fp.TryRead(Enumerable.Repeat((byte)0xff, 32).ToArray(), out _));
    }

    private static Bn254Fp From(BigInteger value)
    {
        var bytes = new byte[32];
        Bn254Reference.Write(value, bytes);
        Assert.True(Bn254Fp.TryRead(bytes, out var element));
        return element;
    }

    private static BigInteger ToBig(Bn254Fp element)
    {
        var bytes = new byte[32];
        element.Write(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }
}
