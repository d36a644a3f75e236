using Trellis.State.Storage;

namespace Trellis.State.Trie;

/// <summary>
/// Builds a trie in one pass from sorted keys (no inserts, no store): the nodes over a run of keys are a leaf for
/// one key, else an extension over the run's common prefix, else a branch grouping the run by its next nibble.
/// </summary>
internal static class TrieBuilder
{
    public static TrieNode? Build(IEnumerable<KeyValuePair<byte[], byte[]>> entries)
    {
        // Later duplicates win, as if the entries were inserted in order.
        var latest = new Dictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        foreach (KeyValuePair<byte[], byte[]> entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry.Key, "entry key");
            latest[entry.Key] = entry.Value ?? [];
        }

        var keys = new List<byte[]>(latest.Count);
        foreach (KeyValuePair<byte[], byte[]> entry in latest)
        {
            if (entry.Value.Length > 0)
            {
                keys.Add(entry.Key);
            }
        }

        if (keys.Count == 0)
        {
            return null;
        }

        // Byte order of keys is nibble order of paths, and a key sorts before the keys it prefixes.
        keys.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        var paths = new byte[keys.Count][];
        var values = new byte[keys.Count][];
        for (int i = 0; i < keys.Count; i++)
        {
            paths[i] = new byte[keys[i].Length * 2];
            Nibbles.FromBytes(keys[i], paths[i]);
            values[i] = latest[keys[i]];
        }

        return BuildRun(paths, values, 0, paths.Length, 0);
    }

    private static TrieNode BuildRun(byte[][] paths, byte[][] values, int start, int end, int depth)
    {
        if (end - start == 1)
        {
            return new LeafNode(paths[start][depth..], values[start]);
        }

        // Sorted, so the run's common prefix is that of its first and last paths.
        int common = Nibbles.CommonPrefixLength(paths[start].AsSpan(depth), paths[end - 1].AsSpan(depth));
        if (common > 0)
        {
            return new ExtensionNode(paths[start][depth..(depth + common)], BuildBranch(paths, values, start, end, depth + common));
        }

        return BuildBranch(paths, values, start, end, depth);
    }

    private static BranchNode BuildBranch(byte[][] paths, byte[][] values, int start, int end, int depth)
    {
        var branch = new BranchNode();
        if (paths[start].Length == depth)
        {
            branch.Value = values[start];
            start++;
        }

        while (start < end)
        {
            int nibble = paths[start][depth];
            int groupEnd = start + 1;
            while (groupEnd < end && paths[groupEnd][depth] == nibble)
            {
                groupEnd++;
            }

            branch.Children[nibble] = BuildRun(paths, values, start, groupEnd, depth + 1);
            start = groupEnd;
        }

        return branch;
    }
}
