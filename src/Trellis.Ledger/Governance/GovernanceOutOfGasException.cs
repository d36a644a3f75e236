namespace Trellis.Ledger.Governance;

// Thrown inside a governance call when the meter passes the call's gas; never escapes the contract.
internal sealed class GovernanceOutOfGasException : Exception
{
    public GovernanceOutOfGasException()
        : base("out of gas")
    {
    }

    public GovernanceOutOfGasException(string message)
        : base(message)
    {
    }

    public GovernanceOutOfGasException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
