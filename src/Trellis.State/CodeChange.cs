using Trellis.Core;

namespace Trellis.State;

/// <summary>The code and code hash an account had before SetCode, kept by the journal.</summary>
internal sealed class CodeChange(Hash256 hash, byte[]? code)
{
    public Hash256 Hash { get; } = hash;

    public byte[]? Code { get; } = code;
}
