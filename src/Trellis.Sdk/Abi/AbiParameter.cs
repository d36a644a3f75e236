namespace Trellis.Sdk.Abi;

/// <summary>A named, typed parameter of a function, event, error or constructor (or a tuple component).</summary>
/// <param name="Name">The parameter name from the ABI (may be empty).</param>
/// <param name="Type">The parameter type.</param>
/// <param name="Indexed">For event parameters: true when the value is a log topic rather than part of the data.</param>
public sealed record AbiParameter(string Name, AbiType Type, bool Indexed = false)
{
    /// <summary>A parameter of the given type name (see <see cref="AbiType.Parse"/>).</summary>
    public static AbiParameter Of(string type, string name = "", bool indexed = false) => new(name, AbiType.Parse(type), indexed);
}
