using System.Numerics;
using Trellis.Core;

namespace Trellis.Evm.Processing;

/// <summary>EIP-4844 blob gas constants and the blob base fee as Cancun defines them.</summary>
public static class BlobGas
{
    /// <summary>Blob gas per blob (2^17).</summary>
    public const long PerBlob = 131_072;

    /// <summary>Most blobs a Cancun block (and so a transaction) may carry: 786,432 blob gas / 131,072.</summary>
    public const int MaxBlobsPerBlock = 6;

    /// <summary>The version byte every blob versioned hash starts with (KZG commitments).</summary>
    public const byte VersionedHashVersionKzg = 0x01;

    /// <summary>The denominator of the blob base fee's exponential update.</summary>
    public const ulong BaseFeeUpdateFraction = 3_338_477;

    /// <summary>The lowest blob base fee (wei).</summary>
    public const ulong MinBaseFee = 1;

    /// <summary>The blob base fee of a block with the given excess blob gas: fake_exponential(1, excess, 3338477).</summary>
    public static UInt256 BaseFee(ulong excessBlobGas) => FakeExponential(MinBaseFee, excessBlobGas, BaseFeeUpdateFraction);

    /// <summary>
    /// EIP-4844's integer approximation of factor * e^(numerator / denominator), evaluated by its Taylor series exactly
    /// as the EIP specifies (the rounding is consensus-relevant).
    /// </summary>
    public static UInt256 FakeExponential(ulong factor, ulong numerator, ulong denominator)
    {
        if (denominator == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(denominator), "fake_exponential denominator must be positive, got 0");
        }

        BigInteger output = BigInteger.Zero;
        BigInteger accumulator = new BigInteger(factor) * denominator;
        BigInteger saturation = (UInt256.MaxValue.ToBigInteger() + 1) * denominator;
        for (ulong i = 1; accumulator > 0; i++)
        {
            output += accumulator;
            if (output >= saturation)
            {
                // The fee saturates rather than wraps (and the series stops early): such an excess never occurs in a valid chain.
                return UInt256.MaxValue;
            }

            accumulator = accumulator * numerator / (new BigInteger(denominator) * i);
        }

        return UInt256.FromBigInteger(output / denominator);
    }
}
