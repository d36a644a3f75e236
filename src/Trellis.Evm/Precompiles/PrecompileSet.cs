namespace Trellis.Evm.Precompiles;

/// <summary>The precompiled contracts Trellis runs, by address byte (0x01..0x09).</summary>
public static class PrecompileSet
{
    private static readonly Precompile[] Contracts =
    [
        new EcRecoverPrecompile(),
        new Sha256Precompile(),
        new Ripemd160Precompile(),
        new IdentityPrecompile(),
        new ModExpPrecompile(),
        new Bn254AddPrecompile(),
        new Bn254MulPrecompile(),
        new Bn254PairingPrecompile(),
        new Blake2FPrecompile(),
    ];

    private static readonly Precompile?[] ByAddress = Index(Contracts);

    /// <summary>Every precompile, in address order.</summary>
    public static IReadOnlyList<Precompile> All { get; } = Array.AsReadOnly(Contracts);

    /// <summary>The precompile whose address is 0x00..00 followed by <paramref name="addressByte"/>, or null if none.</summary>
    public static Precompile? Get(int addressByte) =>
        addressByte >= 0 && addressByte < ByAddress.Length ? ByAddress[addressByte] : null;

    private static Precompile?[] Index(Precompile[] contracts)
    {
        var byAddress = new Precompile?[contracts[^1].AddressByte + 1];
        foreach (var precompile in contracts)
        {
            byAddress[precompile.AddressByte] = precompile;
        }

        return byAddress;
    }
}
