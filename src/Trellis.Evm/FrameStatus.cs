namespace Trellis.Evm;

/// <summary>How a frame ended. Everything after <see cref="Revert"/> is an exceptional halt that consumes all the frame's gas.</summary>
internal enum FrameStatus
{
    /// <summary>STOP, RETURN, SELFDESTRUCT or running off the end of the code.</summary>
    Success,

    /// <summary>REVERT: state changes undone, remaining gas and data returned.</summary>
    Revert,

    /// <summary>The call or creation did not start (depth limit, insufficient balance, nonce overflow); the gas is returned.</summary>
    NotStarted,

    OutOfGas,
    InvalidOpcode,
    StackUnderflow,
    StackOverflow,
    InvalidJump,
    StaticViolation,
    ReturnDataOutOfBounds,
    InitCodeTooLarge,
    CodeTooLarge,
    InvalidCodePrefix,
    AddressCollision,
    PrecompileFailure,
}
