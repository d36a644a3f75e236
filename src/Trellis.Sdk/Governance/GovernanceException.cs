namespace Trellis.Sdk.Governance;

/// <summary>
/// A governance call was refused: <see cref="Reason"/> is the contract's revert reason (for example
/// <c>member "org2" already voted on proposal 7</c>), or a description of a transaction that failed without one.
/// </summary>
public sealed class GovernanceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GovernanceException()
    {
        Reason = string.Empty;
    }

    /// <summary>Creates the exception with a reason.</summary>
    public GovernanceException(string reason)
        : base(reason)
    {
        Reason = reason;
    }

    /// <summary>Creates the exception with a reason and its cause.</summary>
    public GovernanceException(string reason, Exception innerException)
        : base(reason, innerException)
    {
        Reason = reason;
    }

    /// <summary>The revert reason text as the contract gave it.</summary>
    public string Reason { get; }
}
