using System.Reflection;
using PotNet.Serialization;

namespace PotNet.Hardware.Energy;

/// <summary>
/// Energy per event, as data: a curve per arithmetic kind (picojoules by operand width), a curve per
/// memory access kind (picojoules per 64 bits by memory size), static power, and the source of every
/// number. Presets ship as JSON files (<c>asic-45nm</c>, <c>fpga-xcup</c>, and <c>asic-osu018</c>, which
/// <c>potnet energy calibrate</c> fitted to gate-level power of PotNet's designs); users bring their own in
/// the same format or fit one to a measured power report (<see cref="EnergyCalibration"/>).
/// </summary>
public sealed class EnergyTable
{
    /// <summary>The JSON keys of the curves, by event kind.</summary>
    private static readonly Dictionary<EventKind, string> Keys = new()
    {
        [EventKind.Add] = "add",
        [EventKind.Multiply] = "multiply",
        [EventKind.HardMultiply] = "hard_multiply",
        [EventKind.Shift] = "shift",
        [EventKind.Gated] = "gated",
        [EventKind.MemoryRead] = "memory_read",
        [EventKind.MemoryWrite] = "memory_write",
        [EventKind.Cycle] = "cycle",
    };

    /// <summary>Creates a table; every kind needs a curve and every curve a source listed in <paramref name="sources"/>.</summary>
    public EnergyTable(string name, string description, IReadOnlyDictionary<string, string> sources, IReadOnlyDictionary<EventKind, EnergyCurve> curves, double staticPowerMilliwatts, string staticPowerSource)
    {
        ArgumentNullException.ThrowIfNull(curves);
        foreach (EventKind kind in Keys.Keys)
        {
            if (!curves.ContainsKey(kind)) throw new ArgumentException($"no curve for {kind}", nameof(curves));
        }

        StaticPowerSource = staticPowerSource;
        Name = name;
        Description = description;
        Sources = sources;
        Curves = curves;
        StaticPowerMilliwatts = staticPowerMilliwatts;
    }

    /// <summary>Names of the preset tables shipped with PotNet.</summary>
    public static IReadOnlyList<string> Presets { get; } = ["asic-45nm", "fpga-xcup", "asic-osu018"];

    /// <summary>The table's name.</summary>
    public string Name { get; }

    /// <summary>What the table models and how its numbers were obtained.</summary>
    public string Description { get; }

    /// <summary>The publications and estimates the numbers come from, by key.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>Energy curves by event kind.</summary>
    public IReadOnlyDictionary<EventKind, EnergyCurve> Curves { get; }

    /// <summary>Static (leakage) power, charged for the time an inference takes.</summary>
    public double StaticPowerMilliwatts { get; }

    /// <summary>Where the static power figure comes from (a key of <see cref="Sources"/>).</summary>
    public string StaticPowerSource { get; }

    /// <summary>Energy of <paramref name="e"/> (all its events), in picojoules.</summary>
    public double Price(EnergyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        PowerLaw curve = Curves[e.Kind].Curve;
        bool memory = e.Kind is EventKind.MemoryRead or EventKind.MemoryWrite;
        double each = memory ? curve.At(Math.Max(e.MemoryBytes, 1)) * e.Bits / 64.0 : curve.At(e.Bits);
        return each * e.Count;
    }

    /// <summary>A preset by name, or a table file by path.</summary>
    public static EnergyTable Load(string presetOrPath)
    {
        ArgumentNullException.ThrowIfNull(presetOrPath);
        if (Presets.Contains(presetOrPath))
        {
            string resource = $"PotNet.Hardware.Energy.Tables.{presetOrPath}.json";
            using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"the preset {resource} is not embedded");
            return Read(stream, presetOrPath);
        }

        if (!File.Exists(presetOrPath))
        {
            throw new PotNetException($"{presetOrPath}: no such energy table (presets: {string.Join(", ", Presets)})");
        }

        using FileStream file = File.OpenRead(presetOrPath);
        return Read(file, presetOrPath);
    }

    /// <summary>Reads a table from JSON; <paramref name="file"/> names it in errors.</summary>
    public static EnergyTable Read(Stream stream, string file)
    {
        using var document = JsonFields.Parse(stream, file);
        JsonFields root = JsonFields.Root(document.RootElement, file);
        var sources = root.Child("sources").Properties().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String ? p.Value.GetString()! : throw root.Error($"sources.{p.Name}", "is not a string"),
            StringComparer.Ordinal);
        double staticPower = root.Number("static_power_mw");
        if (staticPower < 0) throw root.Error("static_power_mw", "must not be negative");
        string staticSource = root.Text("static_power_source");
        if (!sources.ContainsKey(staticSource)) throw root.Error("static_power_source", $"'{staticSource}' is not listed in sources");
        JsonFields events = root.Child("events");
        var curves = new Dictionary<EventKind, EnergyCurve>();
        foreach ((EventKind kind, string key) in Keys)
        {
            JsonFields entry = events.Child(key);
            string source = entry.Text("source");
            if (!sources.ContainsKey(source)) throw entry.Error("source", $"'{source}' is not listed in sources");
            double[][] rows = entry.NumberRows("points");
            if (rows.Length == 0) throw entry.Error("points", "needs at least one [size, picojoules] point");
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i].Length != 2 || rows[i][0] <= 0 || rows[i][1] < 0) throw entry.Error($"points[{i}]", "must be [size > 0, picojoules >= 0]");
            }

            if (rows.Select(r => r[0]).Distinct().Count() != rows.Length) throw entry.Error("points", "sizes must be distinct");
            curves[kind] = new EnergyCurve(new PowerLaw(rows.Select(r => (r[0], r[1]))), source, entry.OptionalText("note"));
        }

        return new EnergyTable(root.Text("name"), root.OptionalText("description") ?? "", sources, curves, staticPower, staticSource);
    }

    /// <summary>The table as JSON in the format <see cref="Read"/> takes.</summary>
    public void Write(Stream stream)
    {
        using var json = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("name", Name);
        json.WriteString("description", Description);
        json.WriteStartObject("sources");
        foreach ((string key, string text) in Sources) json.WriteString(key, text);
        json.WriteEndObject();
        json.WriteNumber("static_power_mw", StaticPowerMilliwatts);
        json.WriteString("static_power_source", StaticPowerSource);
        json.WriteStartObject("events");
        foreach ((EventKind kind, string key) in Keys)
        {
            EnergyCurve curve = Curves[kind];
            json.WriteStartObject(key);
            json.WriteStartArray("points");
            foreach ((double x, double energy) in curve.Curve.Points)
            {
                json.WriteStartArray();
                json.WriteNumberValue(x);
                json.WriteNumberValue(energy);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteString("source", curve.Source);
            if (curve.Note is not null) json.WriteString("note", curve.Note);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}

/// <summary>One kind's energy curve, where its numbers come from, and a note on how they were used.</summary>
public sealed record EnergyCurve(PowerLaw Curve, string Source, string? Note = null);
