namespace Trellis.Sdk.Abi;

/// <summary>A Solidity custom error (<c>error InsufficientBalance(uint256 needed)</c>), or the built-in <c>Error(string)</c> and <c>Panic(uint256)</c>.</summary>
public sealed class AbiError
{
    private readonly AbiType[] _types;
    private readonly byte[] _selector;

    /// <summary>Creates an error description.</summary>
    public AbiError(string name, IReadOnlyList<AbiParameter> inputs)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(inputs);
        Name = name;
        Inputs = [.. inputs];
        _types = AbiFunction.TypesOf(Inputs);
        Signature = AbiSignature.Format(name, Inputs);
        _selector = AbiSignature.Selector(Signature);
    }

    /// <summary><c>Error(string)</c>, selector 0x08c379a0: what <c>require(cond, "message")</c> and <c>revert("message")</c> raise.</summary>
    public static AbiError Error { get; } = new("Error", [AbiParameter.Of("string", "message")]);

    /// <summary><c>Panic(uint256)</c>, selector 0x4e487b71: failed assertions, overflow, division by zero, bad array index.</summary>
    public static AbiError Panic { get; } = new("Panic", [AbiParameter.Of("uint256", "code")]);

    /// <summary>The error name.</summary>
    public string Name { get; }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>The canonical signature.</summary>
    public string Signature { get; }

    /// <summary>The 4-byte selector that starts the revert data.</summary>
    public ReadOnlySpan<byte> Selector => _selector;

    /// <summary>True when <paramref name="revertData"/> starts with this error's selector.</summary>
    public bool Matches(ReadOnlySpan<byte> revertData) => revertData.Length >= 4 && revertData[..4].SequenceEqual(_selector);

    /// <summary>Encodes revert data for this error (selector and arguments).</summary>
    public byte[] Encode(params object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return AbiEncoder.EncodeWithPrefix(_selector, _types, arguments);
    }

    /// <summary>Decodes the arguments of revert data that <see cref="Matches"/> this error.</summary>
    /// <exception cref="AbiException">The selector differs or the arguments are malformed.</exception>
    public object?[] Decode(ReadOnlySpan<byte> revertData)
    {
        if (!Matches(revertData))
        {
            throw new AbiException($"revert data does not start with the selector of {Signature}");
        }

        return AbiDecoder.Decode(_types, revertData[4..]);
    }

    /// <summary>The signature.</summary>
    public override string ToString() => Signature;
}
