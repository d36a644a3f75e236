using System.Globalization;
using System.Numerics;

namespace Trellis.Evm.Precompiles;

/// <summary>
/// Parameters of the bn254 (alt_bn128) curve used by EIP-196/197: E: y^2 = x^3 + 3 over F_p, its D-type sextic
/// twist E': y^2 = x^3 + 3/ξ over F_p2 (ξ = 9 + i), group order r, and the BN parameter u.
/// </summary>
internal static class Bn254Curve
{
    /// <summary>p, the base field modulus.</summary>
    public static readonly BigInteger FieldModulus = Parse("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47");

    /// <summary>r, the prime order of G1 and G2.</summary>
    public static readonly BigInteger GroupOrder = Parse("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001");

    /// <summary>r as 32 big-endian bytes, for scalar multiplication in the G2 subgroup check.</summary>
    public static readonly byte[] GroupOrderBytes = GroupOrder.ToByteArray(isUnsigned: true, isBigEndian: true);

    /// <summary>The BN parameter u: p = 36u^4 + 36u^3 + 24u^2 + 6u + 1.</summary>
    public const ulong U = 4965661367192848881UL;

    /// <summary>6u + 2, the optimal ate Miller loop count (65 bits).</summary>
    public static readonly UInt128 AteLoopCount = (6 * (UInt128)U) + 2;

    /// <summary>b = 3 of E.</summary>
    public static readonly Bn254Fp B = Bn254Fp.FromUInt64(3);

    /// <summary>b' = 3 / ξ of the twist E'.</summary>
    public static readonly Bn254Fp2 TwistB = new Bn254Fp2(B, Bn254Fp.Zero) * Bn254Fp2.Xi.Inverse();

    private static BigInteger Parse(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
