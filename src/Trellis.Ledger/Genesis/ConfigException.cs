namespace Trellis.Ledger.Genesis;

/// <summary>A chain configuration file that cannot be used: the message names the JSON path and the reason.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public ConfigException()
        : base("invalid chain configuration")
    {
        Path = string.Empty;
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public ConfigException(string message)
        : base(message)
    {
        Path = string.Empty;
    }

    /// <summary>Creates an exception with <paramref name="message"/> and its cause.</summary>
    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
    }

    /// <summary>Creates an exception for the field at <paramref name="path"/> ("consensus.engine", "alloc.0x12").</summary>
    public ConfigException(string path, string reason, Exception? innerException = null)
        : base(string.IsNullOrEmpty(path) ? reason : $"{path}: {reason}", innerException)
    {
        Path = path;
    }

    /// <summary>The JSON path of the offending field, or empty for the whole file.</summary>
    public string Path { get; }
}
