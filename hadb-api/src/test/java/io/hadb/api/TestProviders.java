package io.hadb.api;

/** Providers registered in test resources to exercise the lookup rules. They open nothing. */
final class TestProviders {
  private TestProviders() {}

  abstract static class Base implements LeaseStoreProvider {
    @Override
    public LeaseStore open(HadbUri uri) {
      throw HadbException.unsupported(getClass().getSimpleName() + " opens nothing: " + uri);
    }
  }

  public static final class LowPriority extends Base {
    @Override
    public String scheme() {
      return "twice";
    }

    @Override
    public int priority() {
      return 1;
    }
  }

  public static final class HighPriority extends Base {
    @Override
    public String scheme() {
      return "twice";
    }

    @Override
    public int priority() {
      return 5;
    }
  }

  public static final class Unavailable extends Base {
    @Override
    public String scheme() {
      return "gone";
    }

    @Override
    public boolean isAvailable() {
      return false;
    }
  }
}
