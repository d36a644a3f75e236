using System.Net;
using System.Security.Cryptography;

namespace Trellis.Node.JsonRpc;

/// <summary>
/// Who may call the <c>admin_</c> methods: nobody when disabled (the default); otherwise callers presenting the node's
/// API key as <c>Authorization: Bearer &lt;64 hex digits&gt;</c>, and only from loopback unless remote calls are
/// allowed. The key is compared in constant time.
/// </summary>
public sealed class AdminAccess
{
    /// <summary>The prefix of every admin method name.</summary>
    public const string MethodPrefix = "admin_";

    // Longer headers are refused unread: a bearer token here is at most "Bearer 0x" + 64 digits plus some spaces.
    private const int MaxHeaderLength = 256;

    private readonly byte[]? _key;

    private AdminAccess(byte[]? key, bool allowRemote)
    {
        _key = key;
        AllowRemote = allowRemote;
    }

    /// <summary>Admin methods turned off: every admin call is refused.</summary>
    public static AdminAccess Disabled { get; } = new(null, false);

    /// <summary>Whether admin methods are served.</summary>
    public bool Enabled => _key is not null;

    /// <summary>Whether callers other than loopback may use them (with the key).</summary>
    public bool AllowRemote { get; }

    /// <summary>Admin methods turned on with <paramref name="apiKey"/> (32 bytes).</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes, or is all zeros.</exception>
    public static AdminAccess Enable(ReadOnlySpan<byte> apiKey, bool allowRemote)
    {
        if (apiKey.Length != AdminApiKey.KeyBytes)
        {
            throw new ArgumentException($"the admin API key must be {AdminApiKey.KeyBytes} bytes, got {apiKey.Length}", nameof(apiKey));
        }

        if (apiKey.IndexOfAnyExcept((byte)0) < 0)
        {
            throw new ArgumentException("the admin API key must not be all zeros", nameof(apiKey));
        }

        return new AdminAccess(apiKey.ToArray(), allowRemote);
    }

    /// <summary>Whether <paramref name="method"/> is an admin method (by its <c>admin_</c> prefix).</summary>
    public static bool IsAdminMethod(string method) => method.StartsWith(MethodPrefix, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="address"/> is a loopback address (127.0.0.0/8, ::1, or IPv4-mapped loopback).</summary>
    public static bool IsLoopback(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address);
    }

    /// <summary>
    /// Decides whether a caller at <paramref name="remote"/> that sent the <c>Authorization</c> header values
    /// <paramref name="authorization"/> (none, one, or several) may use admin methods.
    /// </summary>
    public AdminDecision Decide(IPAddress? remote, IReadOnlyList<string?>? authorization)
    {
        if (_key is null)
        {
            return AdminDecision.Disabled;
        }

        // Checked before the key, so a remote caller learns nothing about the key by trying.
        if (!AllowRemote && !IsLoopback(remote))
        {
            return AdminDecision.RemoteNotAllowed;
        }

        if (authorization is null || authorization.Count == 0)
        {
            return AdminDecision.MissingCredentials;
        }

        if (authorization.Count != 1 || authorization[0] is not { } header)
        {
            return AdminDecision.MalformedCredentials;
        }

        if (header.Length == 0)
        {
            return AdminDecision.MissingCredentials;
        }

        return header.Length > MaxHeaderLength ? AdminDecision.MalformedCredentials : CheckBearer(header.AsSpan().Trim());
    }

    private AdminDecision CheckBearer(ReadOnlySpan<char> header)
    {
        const string Scheme = "Bearer";
        if (header.Length <= Scheme.Length || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header[Scheme.Length] != ' ')
        {
            return AdminDecision.MalformedCredentials;
        }

        ReadOnlySpan<char> token = header[(Scheme.Length + 1)..].TrimStart(' ');
        Span<byte> presented = stackalloc byte[AdminApiKey.KeyBytes];
        if (!AdminApiKey.TryDecode(token, presented, out _))
        {
            return AdminDecision.MalformedCredentials;
        }

        bool equal = CryptographicOperations.FixedTimeEquals(presented, _key);
        CryptographicOperations.ZeroMemory(presented);
        return equal ? AdminDecision.Allowed : AdminDecision.WrongKey;
    }
}
