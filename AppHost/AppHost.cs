// Platform's topology for Aspire. ./run.sh starts the same one from local binaries, without Docker.
// Resource names are the configuration contract: ConnectionStrings__platformdb, ConnectionStrings__cache,
// services__feedsim__http__0.
var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres")
    .WithDataVolume();
var db = postgres.AddDatabase("platformdb");

var cache = builder.AddRedis("cache");

// Each service's endpoint is declared here (launchProfileName: null ignores launchSettings.json), so the
// topology does not depend on which projects carry a launch profile or which ports run.sh uses.
var feedsim = builder.AddProject<Projects.Platform_FeedSimulator>("feedsim", launchProfileName: null)
    .WithHttpEndpoint()
    .WithExternalHttpEndpoints();

// The api migrates the database before it listens, so its readiness probe is what the worker waits for.
var api = builder.AddProject<Projects.Platform_Api>("api", launchProfileName: null)
    .WithHttpEndpoint()
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health/ready")
    .WithReference(db)
    .WithReference(cache)
    .WithReference(feedsim)
    .WaitFor(db)
    .WaitFor(cache);

builder.AddProject<Projects.Platform_Worker>("worker", launchProfileName: null)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health/ready")
    .WithReference(db)
    .WithReference(cache)
    .WithReference(feedsim)
    .WithEnvironment("Worker__Roles", "all")
    .WaitFor(api);

builder.Build().Run();
