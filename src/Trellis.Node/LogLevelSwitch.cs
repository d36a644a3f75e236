using Microsoft.Extensions.Logging;

namespace Trellis.Node;

/// <summary>
/// The node's current least severe log level, changed at run time by <c>admin_setLogLevel</c>. The node filters
/// every logger it creates through it; the logger factory it is given must itself let those levels through (the
/// command line creates its factory at <see cref="LogLevel.Trace"/> for that reason).
/// </summary>
public sealed class LogLevelSwitch
{
    private static readonly string[] Names = ["trace", "debug", "information", "warning", "error", "critical", "none"];

    private volatile int _level;

    /// <summary>Creates a switch at <paramref name="level"/>.</summary>
    public LogLevelSwitch(LogLevel level)
    {
        Level = level;
    }

    /// <summary>The least severe level written.</summary>
    public LogLevel Level
    {
        get => (LogLevel)_level;
        set
        {
            if (value is < LogLevel.Trace or > LogLevel.None)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"log level {(int)value} is not one of {string.Join(", ", Names)}");
            }

            _level = (int)value;
        }
    }

    /// <summary>The level names accepted, least severe first.</summary>
    public static IReadOnlyList<string> LevelNames => Names;

    /// <summary>The name of <paramref name="level"/> as written in <c>node.json</c> ("information", ...).</summary>
    public static string NameOf(LogLevel level) => level is >= LogLevel.Trace and <= LogLevel.None ? Names[(int)level] : ((int)level).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads a level name (case-insensitive).</summary>
    public static bool TryParse(string? text, out LogLevel level)
    {
        level = LogLevel.None;
        if (text is null)
        {
            return false;
        }

        for (int i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], text, StringComparison.OrdinalIgnoreCase))
            {
                level = (LogLevel)i;
                return true;
            }
        }

        return false;
    }

    /// <summary>Wraps <paramref name="inner"/> so every logger it creates also asks this switch.</summary>
    public ILoggerFactory Wrap(ILoggerFactory inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new SwitchedLoggerFactory(inner, this);
    }

    /// <summary>A factory whose loggers are enabled only at or above the switch's level.</summary>
    private sealed class SwitchedLoggerFactory(ILoggerFactory inner, LogLevelSwitch levels) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public ILogger CreateLogger(string categoryName) => new SwitchedLogger(inner.CreateLogger(categoryName), levels);

        public void Dispose()
        {
            // The inner factory belongs to the caller.
        }
    }

    private sealed class SwitchedLogger(ILogger inner, LogLevelSwitch levels) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= levels.Level && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
