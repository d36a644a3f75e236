namespace Trellis.Consensus.HotStuff.Messages;

/// <summary>A message between HotStuff validators. The transport authenticates the sending validator's index; signatures inside bind the content.</summary>
public abstract record HotStuffMessage;
