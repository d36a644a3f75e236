namespace Trellis.Consensus.Tests.Simulation;

/// <summary>What a Byzantine validator in the simulator does besides running the protocol.</summary>
[Flags]
public enum ByzantineBehaviour
{
    None = 0,

    /// <summary>As leader, sends one block to half the validators and a conflicting one to the rest.</summary>
    Equivocate = 1,

    /// <summary>Votes for a second, made-up block in every view it votes in.</summary>
    DoubleVote = 2,

    /// <summary>As leader, proposes a payload that fails execution.</summary>
    InvalidProposal = 4,

    /// <summary>As leader, proposes a valid payload with a wrong state root.</summary>
    WrongStateRoot = 8,

    /// <summary>Sends votes and timeouts in other validators' names, proposals for views it does not lead, and QCs with forged signatures.</summary>
    ForgeSignatures = 16,

    /// <summary>Resends old messages it received to random validators.</summary>
    Replay = 32,

    /// <summary>Everything above.</summary>
    All = Equivocate | DoubleVote | InvalidProposal | WrongStateRoot | ForgeSignatures | Replay,
}
