// TorchSharp's random generator is global to the process: tests that draw from it in parallel
// would make each other's runs unrepeatable (a resumed run must equal an uninterrupted one).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
