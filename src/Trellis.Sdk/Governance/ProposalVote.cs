namespace Trellis.Sdk.Governance;

/// <summary>How a member voted on a proposal (<c>IGovernance.voteOf</c>).</summary>
public enum ProposalVote : byte
{
    /// <summary>Has not voted.</summary>
    None = 0,

    /// <summary>Voted for (proposing counts as a yes vote).</summary>
    Yes = 1,

    /// <summary>Voted against.</summary>
    No = 2,
}
