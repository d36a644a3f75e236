namespace Trellis.Network.Admission;

/// <summary>A set of roles, used to choose the peers a broadcast goes to.</summary>
[Flags]
public enum PeerRoles
{
    /// <summary>No peer.</summary>
    None = 0,

    /// <summary>Validators.</summary>
    Validators = 1,

    /// <summary>Observers.</summary>
    Observers = 2,

    /// <summary>Every connected peer.</summary>
    All = Validators | Observers,
}
