import ClusCore
