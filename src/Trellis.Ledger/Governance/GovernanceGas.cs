namespace Trellis.Ledger.Governance;

/// <summary>Gas the governance contracts charge: a fixed cost per call plus SSTORE- and LOG-like costs.</summary>
public static class GovernanceGas
{
    /// <summary>Every call.</summary>
    public const long Call = 2_000;

    /// <summary>Each storage slot read.</summary>
    public const long Read = 200;

    /// <summary>Writing a non-zero value to a zero slot.</summary>
    public const long WriteNew = 20_000;

    /// <summary>Changing a non-zero slot (or clearing it).</summary>
    public const long WriteUpdate = 5_000;

    /// <summary>Writing the value a slot already holds.</summary>
    public const long WriteUnchanged = 200;

    /// <summary>Each log.</summary>
    public const long Log = 375;

    /// <summary>Each log topic.</summary>
    public const long LogTopic = 375;

    /// <summary>Each byte of log data.</summary>
    public const long LogByte = 8;
}
