using Trellis.Crypto.National;
using Trellis.Crypto.Standard;

namespace Trellis.Crypto;

/// <summary>The two suites a chain can choose at genesis, and lookup by name.</summary>
public static class CryptoSuites
{
    /// <summary>Keccak-256, ECDSA secp256k1 (Ethereum compatible), AES-256-GCM.</summary>
    public static ICryptoSuite Standard => StandardSuite.Instance;

    /// <summary>SM3, SM2, SM4-GCM (GB/T 32905, 32918, 32907).</summary>
    public static ICryptoSuite National => NationalSuite.Instance;

    /// <summary>The names accepted by <see cref="Get"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["standard", "national"];

    /// <summary>Looks a suite up by its configuration name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not <c>standard</c> or <c>national</c>.</exception>
    public static ICryptoSuite Get(string name) =>
        TryGet(name, out var suite)
            ? suite
            : throw new ArgumentException($"unknown crypto suite '{name}' (expected 'standard' or 'national')", nameof(name));

    /// <summary>Looks a suite up by its configuration name (case-insensitive).</summary>
    public static bool TryGet(string? name, out ICryptoSuite suite)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "standard":
                suite = StandardSuite.Instance;
                return true;
            case "national":
                suite = NationalSuite.Instance;
                return true;
            default:
                suite = StandardSuite.Instance;
                return false;
        }
    }

    /// <summary>The suite whose signing keys are on a curve.</summary>
    public static ICryptoSuite ForCurve(CurveKind curve) => curve == CurveKind.Sm2 ? NationalSuite.Instance : StandardSuite.Instance;
}
