using Trellis.Core;
using Trellis.Evm.Processing;

namespace Trellis.Evm.Tests.Processing;

public class BlobGasTests
{
    // The fake_exponential vectors of the EIP-4844 reference tests (factor, numerator, denominator, expected).
    [Theory]
    [InlineData(1UL, 0UL, 1UL, 1UL)]
    [InlineData(38493UL, 0UL, 1000UL, 38493UL)]
    [InlineData(0UL, 1234UL, 2345UL, 0UL)]
    [InlineData(1UL, 2UL, 1UL, 6UL)]
    [InlineData(1UL, 4UL, 2UL, 6UL)]
    [InlineData(1UL, 3UL, 1UL, 16UL)]
    [InlineData(1UL, 6UL, 2UL, 18UL)]
    [InlineData(1UL, 4UL, 1UL, 49UL)]
    [InlineData(1UL, 8UL, 2UL, 50UL)]
    [InlineData(10UL, 8UL, 2UL, 542UL)]
    [InlineData(11UL, 8UL, 2UL, 596UL)]
    [InlineData(1UL, 5UL, 1UL, 136UL)]
    [InlineData(1UL, 5UL, 2UL, 11UL)]
    [InlineData(2UL, 5UL, 2UL, 23UL)]
    [InlineData(1UL, 50000000UL, 2225652UL, 5709098764UL)]
    [InlineData(1UL, 380928UL, 2225652UL, 1UL)]
    public void FakeExponential_MatchesEip4844Vectors(ulong factor, ulong numerator, ulong denominator, ulong expected) =>
        Assert.Equal(new UInt256(expected), BlobGas.FakeExponential(factor, numerator, denominator));

    [Fact]
    public void BaseFee_IsOneWithoutExcessBlobGas() => Assert.Equal(UInt256.One, BlobGas.BaseFee(0));

    [Fact]
    public void BaseFee_GrowsByAboutEPerUpdateFraction()
    {
        // e^1 = 2.718..: the integer series gives 2 at one update fraction, and e^10 = 22026.4.. gives 22026.
        Assert.Equal(new UInt256(2), BlobGas.BaseFee(BlobGas.BaseFeeUpdateFraction));
        Assert.Equal(new UInt256(22026), BlobGas.BaseFee(10 * BlobGas.BaseFeeUpdateFraction));
    }

    [Fact]
    public void BaseFee_SaturatesInsteadOfLoopingForAHugeExcess() =>
        Assert.Equal(UInt256.MaxValue, BlobGas.BaseFee(ulong.MaxValue));

    [Fact]
    public void FakeExponential_RejectsZeroDenominator() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BlobGas.FakeExponential(1, 1, 0));
}
