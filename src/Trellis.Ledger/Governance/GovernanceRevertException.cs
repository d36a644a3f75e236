namespace Trellis.Ledger.Governance;

// Thrown inside a governance call to revert it with an Error(string) reason; never escapes the contract.
internal sealed class GovernanceRevertException : Exception
{
    public GovernanceRevertException(string message)
        : base(message)
    {
    }

    public GovernanceRevertException()
    {
    }

    public GovernanceRevertException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
