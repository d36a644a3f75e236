using System.Text.Json;

namespace Trellis.Sdk.Abi;

/// <summary>
/// A contract's interface parsed from the JSON ABI that solc emits (an array of function, constructor, event, error,
/// fallback and receive entries). Looks members up by name (or by full signature when a name is overloaded).
/// </summary>
public sealed class ContractAbi
{
    private readonly List<AbiFunction> _functions;
    private readonly List<AbiEvent> _events;
    private readonly List<AbiError> _errors;

    /// <summary>Creates an interface from its members.</summary>
    public ContractAbi(IEnumerable<AbiFunction> functions, IEnumerable<AbiEvent> events, IEnumerable<AbiError> errors, IReadOnlyList<AbiParameter>? constructorInputs = null)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(errors);
        _functions = [.. functions];
        _events = [.. events];
        _errors = [.. errors];
        ConstructorInputs = constructorInputs is null ? [] : [.. constructorInputs];
    }

    /// <summary>The functions.</summary>
    public IReadOnlyList<AbiFunction> Functions => _functions;

    /// <summary>The events.</summary>
    public IReadOnlyList<AbiEvent> Events => _events;

    /// <summary>The custom errors.</summary>
    public IReadOnlyList<AbiError> Errors => _errors;

    /// <summary>The constructor's parameters (empty when the contract declares none).</summary>
    public IReadOnlyList<AbiParameter> ConstructorInputs { get; }

    /// <summary>Parses JSON ABI text (solc's <c>--abi</c> output, or the <c>abi</c> member of an artifact).</summary>
    /// <exception cref="AbiException">The JSON is malformed or describes an invalid type.</exception>
    public static ContractAbi Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 * AbiType.MaxDepth });
            return FromJson(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new AbiException($"the ABI is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Reads a parsed JSON ABI array (or an artifact object with an <c>abi</c> member).</summary>
    public static ContractAbi FromJson(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("abi", out JsonElement inner))
        {
            root = inner;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new AbiException($"the ABI must be a JSON array of entries, got {root.ValueKind}");
        }

        var functions = new List<AbiFunction>();
        var events = new List<AbiEvent>();
        var errors = new List<AbiError>();
        IReadOnlyList<AbiParameter>? constructor = null;
        int index = 0;
        foreach (JsonElement entry in root.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw new AbiException($"ABI entry {index} must be a JSON object, got {entry.ValueKind}");
            }

            string type = OptionalString(entry, "type", index) ?? "function";
            string name = OptionalString(entry, "name", index) ?? string.Empty;
            switch (type)
            {
                case "function":
                    RequireName(name, type, index);
                    functions.Add(new AbiFunction(
                        name,
                        ReadParameters(entry, "inputs", index, allowIndexed: false),
                        ReadParameters(entry, "outputs", index, allowIndexed: false),
                        OptionalString(entry, "stateMutability", index) ?? LegacyMutability(entry)));
                    break;
                case "constructor":
                    constructor = ReadParameters(entry, "inputs", index, allowIndexed: false);
                    break;
                case "event":
                    RequireName(name, type, index);
                    bool anonymous = entry.TryGetProperty("anonymous", out JsonElement anon) && anon.ValueKind == JsonValueKind.True;
                    events.Add(new AbiEvent(name, ReadParameters(entry, "inputs", index, allowIndexed: true), anonymous));
                    break;
                case "error":
                    RequireName(name, type, index);
                    errors.Add(new AbiError(name, ReadParameters(entry, "inputs", index, allowIndexed: false)));
                    break;
                case "fallback":
                case "receive":
                    break;
                default:
                    throw new AbiException($"ABI entry {index} has type \"{type}\"; expected function, constructor, event, error, fallback or receive");
            }

            index++;
        }

        return new ContractAbi(functions, events, errors, constructor);
    }

    /// <summary>
    /// The function called <paramref name="nameOrSignature"/>: a plain name when it is not overloaded, or the full
    /// signature (<c>transfer(address,uint256)</c>) to pick an overload.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such function, or the name is ambiguous.</exception>
    public AbiFunction GetFunction(string nameOrSignature) =>
        Find(_functions, nameOrSignature, f => f.Name, f => f.Signature, "function");

    /// <summary>The event called <paramref name="nameOrSignature"/> (name, or signature for overloads).</summary>
    /// <exception cref="KeyNotFoundException">No such event, or the name is ambiguous.</exception>
    public AbiEvent GetEvent(string nameOrSignature) =>
        Find(_events, nameOrSignature, e => e.Name, e => e.Signature, "event");

    /// <summary>The custom error called <paramref name="nameOrSignature"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such error, or the name is ambiguous.</exception>
    public AbiError GetError(string nameOrSignature) =>
        Find(_errors, nameOrSignature, e => e.Name, e => e.Signature, "error");

    /// <summary>The non-anonymous event whose topic 0 is <paramref name="topic0"/>, or null.</summary>
    public AbiEvent? FindEvent(Trellis.Core.Hash256 topic0)
    {
        foreach (AbiEvent candidate in _events)
        {
            if (!candidate.Anonymous && candidate.Topic == topic0)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Decodes revert data using <c>Error(string)</c>, <c>Panic(uint256)</c> and this contract's custom errors.</summary>
    public RevertReason DecodeRevert(ReadOnlySpan<byte> data) => RevertReason.Decode(data, _errors);

    /// <summary>Creation data: the contract's bytecode followed by the ABI-encoded constructor arguments.</summary>
    /// <exception cref="AbiException">The arguments do not match the constructor.</exception>
    public byte[] EncodeDeployment(ReadOnlySpan<byte> bytecode, params object?[] constructorArguments)
    {
        ArgumentNullException.ThrowIfNull(constructorArguments);
        if (constructorArguments.Length != ConstructorInputs.Count)
        {
            throw new AbiException($"the constructor takes {ConstructorInputs.Count} arguments, got {constructorArguments.Length}");
        }

        return AbiEncoder.EncodeWithPrefix(bytecode, AbiFunction.TypesOf(ConstructorInputs), constructorArguments);
    }

    private static T Find<T>(List<T> items, string key, Func<T, string> name, Func<T, string> signature, string what)
    {
        ArgumentNullException.ThrowIfNull(key);
        bool bySignature = key.Contains('(', StringComparison.Ordinal);
        T? found = default;
        int matches = 0;
        foreach (T item in items)
        {
            if ((bySignature ? signature(item) : name(item)) == key)
            {
                found = item;
                matches++;
            }
        }

        return matches switch
        {
            1 => found!,
            0 => throw new KeyNotFoundException($"the ABI has no {what} \"{key}\""),
            _ => throw new KeyNotFoundException($"the ABI has {matches} overloads of {what} \"{key}\"; give the full signature, e.g. {signature(found!)}"),
        };
    }

    private static void RequireName(string name, string type, int index)
    {
        if (name.Length == 0)
        {
            throw new AbiException($"ABI entry {index} ({type}) has no name");
        }
    }

    private static string LegacyMutability(JsonElement entry)
    {
        // Before solc 0.4.16 the JSON carried constant/payable flags instead of stateMutability.
        if (entry.TryGetProperty("constant", out JsonElement constant) && constant.ValueKind == JsonValueKind.True)
        {
            return "view";
        }

        return entry.TryGetProperty("payable", out JsonElement payable) && payable.ValueKind == JsonValueKind.True ? "payable" : "nonpayable";
    }

    private static string? OptionalString(JsonElement entry, string property, int index)
    {
        if (!entry.TryGetProperty(property, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new AbiException($"ABI entry {index}: \"{property}\" must be a string, got {value.ValueKind}");
    }

    private static AbiParameter[] ReadParameters(JsonElement entry, string property, int index, bool allowIndexed)
    {
        if (!entry.TryGetProperty(property, out JsonElement list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new AbiException($"ABI entry {index}: \"{property}\" must be an array, got {list.ValueKind}");
        }

        var parameters = new List<AbiParameter>();
        foreach (JsonElement parameter in list.EnumerateArray())
        {
            parameters.Add(ReadParameter(parameter, index, allowIndexed, 0));
        }

        return [.. parameters];
    }

    private static AbiParameter ReadParameter(JsonElement parameter, int index, bool allowIndexed, int depth)
    {
        if (depth >= AbiType.MaxDepth)
        {
            throw new AbiException($"ABI entry {index} nests tuple components deeper than {AbiType.MaxDepth} levels");
        }

        if (parameter.ValueKind != JsonValueKind.Object)
        {
            throw new AbiException($"ABI entry {index}: a parameter must be a JSON object, got {parameter.ValueKind}");
        }

        string type = OptionalString(parameter, "type", index) ?? throw new AbiException($"ABI entry {index}: a parameter has no \"type\"");
        string name = OptionalString(parameter, "name", index) ?? string.Empty;
        List<AbiParameter>? components = null;
        if (parameter.TryGetProperty("components", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            components = [];
            foreach (JsonElement component in list.EnumerateArray())
            {
                components.Add(ReadParameter(component, index, allowIndexed: false, depth + 1));
            }
        }

        bool indexed = allowIndexed && parameter.TryGetProperty("indexed", out JsonElement flag) && flag.ValueKind == JsonValueKind.True;
        return new AbiParameter(name, AbiType.FromJson(type, components), indexed);
    }
}
