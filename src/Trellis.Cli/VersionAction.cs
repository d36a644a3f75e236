using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Trellis.Cli;

/// <summary>
/// Prints the version of Trellis itself. The built-in action reports the entry assembly, which is the test host
/// when the command runs in process.
/// </summary>
internal sealed class VersionAction(TextWriter output) : SynchronousCommandLineAction
{
    public static string Version
    {
        get
        {
            var informational = typeof(VersionAction).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        output.WriteLine(Version);
        return 0;
    }
}
