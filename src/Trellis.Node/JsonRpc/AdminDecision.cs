namespace Trellis.Node.JsonRpc;

/// <summary>Whether a caller may use the <c>admin_</c> methods, and if not, why (for the log; clients see less).</summary>
public enum AdminDecision
{
    /// <summary>Admin methods are turned off on this node (<c>admin.enabled</c> is false).</summary>
    Disabled,

    /// <summary>The caller is not on a loopback address and <c>admin.allowRemote</c> is false.</summary>
    RemoteNotAllowed,

    /// <summary>No <c>Authorization</c> header was sent.</summary>
    MissingCredentials,

    /// <summary>The <c>Authorization</c> header is not one <c>Bearer</c> token of 64 hex digits.</summary>
    MalformedCredentials,

    /// <summary>A well-formed key that is not this node's.</summary>
    WrongKey,

    /// <summary>The caller may use admin methods.</summary>
    Allowed,
}
