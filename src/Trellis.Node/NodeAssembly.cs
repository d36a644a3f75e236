namespace Trellis.Node;

/// <summary>Marks the assembly; the node arrives with the ledger issue.</summary>
internal static class NodeAssembly
{
}
