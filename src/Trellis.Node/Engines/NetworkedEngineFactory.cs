using Trellis.Consensus;

namespace Trellis.Node.Engines;

/// <summary>Creates a networked consensus engine for a node from what the node has prepared.</summary>
public delegate INetworkedConsensusEngine NetworkedEngineFactory(EngineContext context);
