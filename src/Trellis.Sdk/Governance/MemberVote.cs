namespace Trellis.Sdk.Governance;

/// <summary>One member's vote on a proposal.</summary>
/// <param name="Member">The member organisation.</param>
/// <param name="Vote">Its vote.</param>
public readonly record struct MemberVote(string Member, ProposalVote Vote);
