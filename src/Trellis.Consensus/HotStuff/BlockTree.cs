using Trellis.Core;

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// The blocks a replica knows, linked by parent hash, rooted at genesis (or at the last committed block after a
/// restart). A block is added only once its parent is present, so every block's ancestry down to the root is
/// known. Single owner (the replica); not thread-safe.
/// </summary>
public sealed class BlockTree
{
    private readonly Dictionary<Hash256, HotStuffBlock> _blocks = [];

    /// <summary>Starts a tree at <paramref name="root"/> (genesis, or the last committed block).</summary>
    public BlockTree(HotStuffBlock root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = root;
        _blocks.Add(root.Hash, root);
    }

    /// <summary>The block the tree starts from; its ancestors are not held.</summary>
    public HotStuffBlock Root { get; private set; }

    /// <summary>Number of blocks held.</summary>
    public int Count => _blocks.Count;

    /// <summary>True when the block is held.</summary>
    public bool Contains(Hash256 hash) => _blocks.ContainsKey(hash);

    /// <summary>Finds a block by hash.</summary>
    public bool TryGet(Hash256 hash, out HotStuffBlock block) => _blocks.TryGetValue(hash, out block!);

    /// <summary>Finds a block by hash, or null.</summary>
    public HotStuffBlock? Find(Hash256 hash) => _blocks.GetValueOrDefault(hash);

    /// <summary>
    /// Adds a block whose parent is held, with the structural checks every block must pass: parent is the justify
    /// QC's block, height is the parent's + 1, view exceeds the parent's view. Returns false with the reason otherwise.
    /// Adding a block that is already held passes and changes nothing.
    /// </summary>
    public SafetyCheck TryAdd(HotStuffBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (_blocks.ContainsKey(block.Hash))
        {
            return SafetyCheck.Pass;
        }

        if (!_blocks.TryGetValue(block.ParentHash, out var parent))
        {
            return SafetyCheck.Fail($"{block} has unknown parent {block.ParentHash}");
        }

        var structure = CheckChild(parent, block);
        if (structure.Passed)
        {
            _blocks.Add(block.Hash, block);
        }

        return structure;
    }

    /// <summary>The structural rules a child must satisfy relative to its parent.</summary>
    public static SafetyCheck CheckChild(HotStuffBlock parent, HotStuffBlock block)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(block);
        if (block.ParentHash != parent.Hash)
        {
            return SafetyCheck.Fail($"{block} names parent {block.ParentHash}, not {parent}");
        }

        if (block.Justify.BlockHash != parent.Hash)
        {
            return SafetyCheck.Fail($"{block} is justified by a QC for {block.Justify.BlockHash}, not its parent {parent.Hash}");
        }

        if (block.Justify.View != parent.View)
        {
            return SafetyCheck.Fail($"{block} has a justify QC of view {block.Justify.View} but its parent was proposed in view {parent.View}");
        }

        if (block.Height != parent.Height + 1)
        {
            return SafetyCheck.Fail($"{block} has height {block.Height}, expected parent height + 1 = {parent.Height + 1}");
        }

        if (block.View <= parent.View)
        {
            return SafetyCheck.Fail($"{block} has view {block.View}, not above its parent's view {parent.View}");
        }

        return SafetyCheck.Pass;
    }

    /// <summary>
    /// True when <paramref name="block"/> is <paramref name="ancestorHash"/> or descends from it. Walks parents while
    /// their views are at least <paramref name="ancestorView"/> (views strictly increase along a branch). If the walk
    /// reaches the root and the root's view is above the ancestor's, the ancestor is below the root and, since the
    /// root is committed and the chain below it linear, is its ancestor.
    /// </summary>
    public bool Extends(HotStuffBlock block, Hash256 ancestorHash, long ancestorView)
    {
        ArgumentNullException.ThrowIfNull(block);
        var current = block;
        while (true)
        {
            if (current.Hash == ancestorHash)
            {
                return true;
            }

            if (current.View <= ancestorView)
            {
                return false;
            }

            if (current.Hash == Root.Hash)
            {
                return true;
            }

            if (!_blocks.TryGetValue(current.ParentHash, out var parent))
            {
                return false;
            }

            current = parent;
        }
    }

    /// <summary>
    /// Makes <paramref name="newRoot"/> (a held, committed block) the root: forgets every block below its height, the
    /// other blocks at its height, and every block whose ancestry no longer reaches the root. Returns how many were
    /// forgotten. The chain below a committed root is linear, which is what <see cref="Extends"/> relies on.
    /// </summary>
    /// <exception cref="ArgumentException">The block is not held.</exception>
    public int Prune(HotStuffBlock newRoot)
    {
        ArgumentNullException.ThrowIfNull(newRoot);
        if (!_blocks.ContainsKey(newRoot.Hash))
        {
            throw new ArgumentException($"{newRoot} is not in the tree; only a held block can become the root", nameof(newRoot));
        }

        if (newRoot.Hash == Root.Hash)
        {
            return 0;
        }

        var remaining = new List<HotStuffBlock>(_blocks.Count);
        foreach (var block in _blocks.Values)
        {
            if (block.Height > newRoot.Height)
            {
                remaining.Add(block);
            }
        }

        remaining.Sort(static (a, b) => a.Height.CompareTo(b.Height));
        int before = _blocks.Count;
        _blocks.Clear();
        _blocks.Add(newRoot.Hash, newRoot);
        foreach (var block in remaining)
        {
            if (_blocks.ContainsKey(block.ParentHash))
            {
                _blocks.Add(block.Hash, block);
            }
        }

        Root = newRoot;
        return before - _blocks.Count;
    }

    /// <summary>The blocks from just above <paramref name="ancestor"/> up to <paramref name="block"/>, oldest first; empty if they are equal.</summary>
    /// <exception cref="InvalidOperationException">The block does not descend from the ancestor in this tree.</exception>
    public List<HotStuffBlock> PathFrom(HotStuffBlock ancestor, HotStuffBlock block)
    {
        ArgumentNullException.ThrowIfNull(ancestor);
        ArgumentNullException.ThrowIfNull(block);
        var path = new List<HotStuffBlock>();
        var current = block;
        while (current.Hash != ancestor.Hash)
        {
            if (current.Height <= ancestor.Height || !_blocks.TryGetValue(current.ParentHash, out var parent))
            {
                throw new InvalidOperationException($"{block} does not descend from {ancestor}");
            }

            path.Add(current);
            current = parent;
        }

        path.Reverse();
        return path;
    }
}
