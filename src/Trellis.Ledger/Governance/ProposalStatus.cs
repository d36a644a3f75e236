namespace Trellis.Ledger.Governance;

/// <summary>Where a proposal is in its life (the status numbers of IGovernance).</summary>
public enum ProposalStatus : byte
{
    /// <summary>No such proposal.</summary>
    None = 0,

    /// <summary>Collecting votes.</summary>
    Open = 1,

    /// <summary>Passed and applied.</summary>
    Executed = 2,

    /// <summary>The no votes make passing impossible.</summary>
    Rejected = 3,

    /// <summary>Passed, but its change was no longer valid when it executed (see the ProposalFailed event).</summary>
    Failed = 4,

    /// <summary>Open past its expiry height: can no longer be voted on or executed.</summary>
    Expired = 5,
}
