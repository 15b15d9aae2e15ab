import ClusShell
