using Platform.Testing;

[assembly: AssemblyFixture(typeof(PlatformServers))]
