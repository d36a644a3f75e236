using Trellis.Core;

namespace Trellis.Sdk.Abi;

/// <summary>A contract function from the ABI: its parameters, outputs, signature and selector; encodes calls and decodes results.</summary>
public sealed class AbiFunction
{
    private readonly AbiType[] _inputTypes;
    private readonly AbiType[] _outputTypes;
    private readonly byte[] _selector;

    /// <summary>Creates a function description.</summary>
    public AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter> outputs, string stateMutability = "nonpayable")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        Name = name;
        Inputs = [.. inputs];
        Outputs = [.. outputs];
        StateMutability = stateMutability ?? "nonpayable";
        _inputTypes = TypesOf(Inputs);
        _outputTypes = TypesOf(Outputs);
        Signature = AbiSignature.Format(name, Inputs);
        _selector = AbiSignature.Selector(Signature);
    }

    /// <summary>The function name.</summary>
    public string Name { get; }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>The return values.</summary>
    public IReadOnlyList<AbiParameter> Outputs { get; }

    /// <summary><c>pure</c>, <c>view</c>, <c>nonpayable</c> or <c>payable</c>.</summary>
    public string StateMutability { get; }

    /// <summary>True for <c>pure</c> and <c>view</c> functions: they are read with <c>eth_call</c>, not sent.</summary>
    public bool IsReadOnly => StateMutability is "view" or "pure";

    /// <summary>The canonical signature, e.g. <c>transfer(address,uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>The 4-byte selector.</summary>
    public ReadOnlySpan<byte> Selector => _selector;

    /// <summary>Parses a signature such as <c>baz(uint32,bool)</c> into a function with unnamed parameters and no outputs.</summary>
    public static AbiFunction Parse(string signature, string? outputs = null)
    {
        ArgumentNullException.ThrowIfNull(signature);
        int open = signature.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0)
        {
            throw new AbiException($"function signature \"{signature}\" must look like name(type1,type2)");
        }

        AbiType tuple = AbiType.Parse(signature[open..]);
        if (tuple.Kind != AbiTypeKind.Tuple)
        {
            throw new AbiException($"function signature \"{signature}\" must end with a parenthesised parameter list");
        }

        return new AbiFunction(signature[..open], ParametersOf(tuple), outputs is null ? [] : ParametersOf(AbiType.Parse(outputs)));
    }

    /// <summary>The call data: selector followed by the encoded arguments.</summary>
    /// <exception cref="AbiException">An argument does not fit its type, or the count is wrong.</exception>
    public byte[] EncodeCall(params object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Length != _inputTypes.Length)
        {
            throw new AbiException($"{Signature} takes {_inputTypes.Length} arguments, got {arguments.Length}");
        }

        return AbiEncoder.EncodeWithPrefix(_selector, _inputTypes, arguments);
    }

    /// <summary>Decodes call data produced by <see cref="EncodeCall"/> (checks the selector).</summary>
    public object?[] DecodeCall(ReadOnlySpan<byte> callData)
    {
        if (callData.Length < 4 || !callData[..4].SequenceEqual(_selector))
        {
            throw new AbiException($"call data {Hex.Encode(callData[..Math.Min(4, callData.Length)])} does not start with the selector {Hex.Encode(_selector)} of {Signature}");
        }

        return AbiDecoder.Decode(_inputTypes, callData[4..]);
    }

    /// <summary>Decodes the return data into one value per output.</summary>
    public object?[] DecodeOutput(ReadOnlySpan<byte> returnData) => AbiDecoder.Decode(_outputTypes, returnData);

    /// <summary>The signature.</summary>
    public override string ToString() => Signature;

    internal static AbiType[] TypesOf(IReadOnlyList<AbiParameter> parameters)
    {
        var types = new AbiType[parameters.Count];
        for (int i = 0; i < types.Length; i++)
        {
            types[i] = parameters[i].Type;
        }

        return types;
    }

    internal static AbiParameter[] ParametersOf(AbiType tuple)
    {
        if (tuple.Kind != AbiTypeKind.Tuple)
        {
            throw new AbiException($"\"{tuple.CanonicalName}\" is not a parenthesised parameter list");
        }

        var parameters = new AbiParameter[tuple.Components.Count];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = new AbiParameter(tuple.ComponentNames[i], tuple.Components[i]);
        }

        return parameters;
    }
}
