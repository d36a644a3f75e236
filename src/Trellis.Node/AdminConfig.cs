namespace Trellis.Node;

/// <summary>
/// The <c>admin</c> section of <c>node.json</c>: whether the <c>admin_</c> JSON-RPC methods (which change node state)
/// are served, the API key they need, and whether callers other than loopback may use them.
/// </summary>
public sealed record AdminConfig
{
    /// <summary>Whether admin methods are served at all (default false: every admin call is refused).</summary>
    public bool Enabled { get; init; }

    /// <summary>
    /// The file holding the admin API key (32 random bytes as 64 hex digits); required when <see cref="Enabled"/>.
    /// Callers send it as <c>Authorization: Bearer &lt;key&gt;</c>.
    /// </summary>
    public string? ApiKeyFile { get; init; }

    /// <summary>Whether admin calls are accepted from non-loopback addresses (default false, even with the key).</summary>
    public bool AllowRemote { get; init; }
}
